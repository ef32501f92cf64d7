package dev.lambdagate.harness.emulator.sts;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Every call the STS emulator received, oldest first. Thread-safe: synchronised. */
public final class StsCallLog {

  private final List<StsCallRecord> records = new ArrayList<>();

  synchronized void add(StsCallRecord record) {
    records.add(record);
  }

  /** A snapshot, oldest first. */
  public synchronized List<StsCallRecord> all() {
    return List.copyOf(records);
  }

  /** The most recent call, if any. */
  public synchronized Optional<StsCallRecord> last() {
    return records.isEmpty() ? Optional.empty() : Optional.of(records.get(records.size() - 1));
  }

  /** How many calls arrived since start or the last {@link #clear()}, failed ones included. */
  public synchronized int count() {
    return records.size();
  }

  /** Forgets every call. */
  public synchronized void clear() {
    records.clear();
  }
}
