package io.logrouter.event;

import java.io.ByteArrayOutputStream;

/** A ByteArrayOutputStream whose buffer can be read in place, so attributes are copied once. */
final class ExposedByteArrayOutputStream extends ByteArrayOutputStream {
  ExposedByteArrayOutputStream(int initialSize) {
    super(initialSize);
  }

  byte[] buffer() {
    return buf;
  }
}
