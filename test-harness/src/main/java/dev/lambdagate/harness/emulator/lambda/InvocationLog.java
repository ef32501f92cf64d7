package dev.lambdagate.harness.emulator.lambda;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Every request the Lambda emulator received, oldest first, for tests to assert on. Keeps the most
 * recent {@code capacity} records (bodies can be megabytes) but counts all of them.
 *
 * <p>Thread-safe: all methods synchronise on the log.
 */
public final class InvocationLog {

  private final int capacity;
  private final Deque<InvocationRecord> records = new ArrayDeque<>();
  private long count;

  /** A log keeping at most {@code capacity} records. */
  public InvocationLog(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1");
    }
    this.capacity = capacity;
  }

  synchronized void add(InvocationRecord record) {
    if (records.size() == capacity) {
      records.removeFirst();
    }
    records.addLast(record);
    count++;
  }

  /** A snapshot of the kept records, oldest first. */
  public synchronized List<InvocationRecord> all() {
    return List.copyOf(records);
  }

  /** The most recent record, if any. */
  public synchronized Optional<InvocationRecord> last() {
    return Optional.ofNullable(records.peekLast());
  }

  /** How many requests arrived since start or the last {@link #clear()}, kept or not. */
  public synchronized long count() {
    return count;
  }

  /** How many of the kept records were answered with {@code status}. */
  public synchronized long countWithStatus(int status) {
    return records.stream().filter(r -> r.status() == status).count();
  }

  /** Forgets all records and resets the count. */
  public synchronized void clear() {
    records.clear();
    count = 0;
  }
}
