package io.logrouter.buffer;

/** Sees every document a {@link QueueReader} reads; {@code queue verify} tallies them per cycle. */
public interface ReadListener {
  ReadListener NONE = new ReadListener() {
    @Override
    public void document(int cycle, long index, int events, long bytes) {}

    @Override
    public void damaged(DamagedDocument document) {}
  };

  void document(int cycle, long index, int events, long bytes);

  void damaged(DamagedDocument document);
}
