package io.logrouter.threads;

import java.util.function.LongSupplier;

/** A {@link CoreYield} on a given clock and yield, for tests in other packages. */
public final class CoreYieldStub {
  private CoreYieldStub() {}

  public static CoreYield of(LongSupplier clock, Runnable yield) {
    return new CoreYield(clock, yield);
  }
}
