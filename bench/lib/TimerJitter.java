import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * How late a sleeping thread wakes on this machine: 20,000 parks of 1 ms, the overshoot of each.
 * A request at 1,000 req/s wakes at least three sleeping threads (the load generator's sender, the
 * server's IO thread, the sender again for the response), so this bounds the p99 latency any server
 * can show here. Run by bench/run.sh phase 4: java bench/lib/TimerJitter.java
 */
public class TimerJitter {
  public static void main(String[] args) {
    int n = 20_000;
    long[] overshootNanos = new long[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      LockSupport.parkNanos(1_000_000);
      overshootNanos[i] = System.nanoTime() - t0 - 1_000_000;
    }
    Arrays.sort(overshootNanos);
    System.out.printf("p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms%n", overshootNanos[n / 2] / 1e6,
        overshootNanos[n * 99 / 100] / 1e6, overshootNanos[n * 999 / 1000] / 1e6, overshootNanos[n - 1] / 1e6);
  }
}
