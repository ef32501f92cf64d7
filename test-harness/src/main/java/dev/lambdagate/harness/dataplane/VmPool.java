package dev.lambdagate.harness.dataplane;

import dev.lambdagate.harness.host.FilterStartException;
import dev.lambdagate.harness.host.FilterVm;
import dev.lambdagate.harness.host.FilterVmOptions;
import dev.lambdagate.harness.host.HostClock;
import dev.lambdagate.harness.host.HostMetrics;
import dev.lambdagate.harness.host.HttpCallTransport;
import dev.lambdagate.harness.host.WasmFilter;
import io.roastedroot.proxywasm.LogLevel;
import io.roastedroot.proxywasm.SimpleSharedDataHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The Wasm VMs of one (listener, plugin configuration): as many as Envoy would have worker threads,
 * sharing proxy-wasm shared data. A stream is bound to one VM for its whole life. When a new
 * configuration replaces this one, {@link #retire} closes the VMs once the last in-flight stream
 * has released them, so a config change never fails a request.
 *
 * <p>A VM that fails (a trap or any other error while it runs a callback) is never used again, as
 * in Envoy. With {@code FAIL_CLOSED} its slot answers every later stream with a failed lease (the
 * listener replies 503) until the configuration changes; with {@code FAIL_RELOAD} the next stream
 * that lands on the slot starts a fresh VM, once {@code reload_config.backoff} allows: the interval
 * starts at the base, doubles with each reload up to the maximum, and goes back to the base once a
 * reloaded VM has served a stream.
 *
 * <p>Thread-safety: all state is guarded by this object's lock; a VM is entered under its own.
 */
final class VmPool {
  /** A VM lent to one stream; {@code vm} is null when the slot's VM has failed (fail closed). */
  record Lease(int slot, FilterVm vm) {}

  private static final class Slot {
    FilterVm vm;
    boolean failed;
    long lastLoadNanos;
    Duration backoff;
  }

  private final WasmPluginConfig config;
  private final WasmFilter filter;
  private final FilterVmOptions options;
  private final Consumer<String> log;
  private final Runnable onReload;
  private final Slot[] slots;
  private final List<FilterVm> failedVms = new ArrayList<>();
  private final AtomicInteger next = new AtomicInteger();
  private int inFlight;
  private boolean retired;
  private boolean closed;

  private VmPool(
      WasmPluginConfig config,
      WasmFilter filter,
      FilterVmOptions options,
      Consumer<String> log,
      Runnable onReload,
      List<FilterVm> vms) {
    this.onReload = onReload;
    this.config = config;
    this.filter = filter;
    this.options = options;
    this.log = log;
    this.slots = new Slot[vms.size()];
    long now = System.nanoTime();
    for (int i = 0; i < slots.length; i++) {
      slots[i] = new Slot();
      slots[i].vm = vms.get(i);
      slots[i].lastLoadNanos = now;
      slots[i].backoff = config.reloadBase();
    }
  }

  /**
   * Starts the VMs; a configuration the filter rejects throws with the filter's log lines. Their
   * metrics go to {@code metrics}, shared by every VM of the data plane (Envoy's stats add up
   * across workers and outlive a VM).
   */
  static VmPool start(
      WasmFilter filter,
      WasmPluginConfig config,
      int count,
      HttpCallTransport transport,
      HostClock clock,
      Consumer<String> log,
      Runnable onReload,
      HostMetrics metrics)
      throws XdsRejectedException {
    List<FilterVm> vms = new ArrayList<>();
    List<String> startLog = new ArrayList<>();
    SimpleSharedDataHandler shared = new SimpleSharedDataHandler();
    FilterVmOptions options =
        FilterVmOptions.of(config.configuration())
            .withSharedData(shared)
            .withTransport(transport)
            .withClock(clock)
            .withMetrics(metrics)
            .withLog(
                (level, line) -> {
                  synchronized (startLog) {
                    startLog.add(line);
                  }
                  log.accept("wasm " + level.name().toLowerCase() + ": " + line);
                },
                LogLevel.INFO);
    try {
      for (int i = 0; i < count; i++) {
        vms.add(FilterVm.start(filter, options));
      }
    } catch (FilterStartException | RuntimeException e) {
      vms.forEach(FilterVm::close);
      String why;
      synchronized (startLog) {
        why = startLog.isEmpty() ? String.valueOf(e.getMessage()) : String.join("; ", startLog);
      }
      throw new XdsRejectedException(
          "envoy.filters.http.wasm: the filter rejected its " + "configuration: " + why, e);
    }
    return new VmPool(config, filter, options, log, onReload, vms);
  }

  WasmPluginConfig config() {
    return config;
  }

  /**
   * A VM for a new stream (pair with {@link #release}), or null once this pool is closed. The
   * lease's VM is null when the slot's VM has failed and may not (yet) be replaced.
   */
  synchronized Lease acquire() {
    if (closed) {
      return null;
    }
    int i = Math.floorMod(next.getAndIncrement(), slots.length);
    Slot slot = slots[i];
    if (slot.failed
        && config.reload()
        && System.nanoTime() - slot.lastLoadNanos >= slot.backoff.toNanos()) {
      reload(i, slot);
    }
    inFlight++;
    return new Lease(i, slot.failed ? null : slot.vm);
  }

  /** Envoy's FAIL_RELOAD: a fresh VM in the failed one's place, the backoff doubled. */
  private void reload(int i, Slot slot) {
    slot.lastLoadNanos = System.nanoTime();
    Duration doubled = slot.backoff.multipliedBy(2);
    slot.backoff = doubled.compareTo(config.reloadMax()) > 0 ? config.reloadMax() : doubled;
    try {
      slot.vm = FilterVm.start(filter, options);
      slot.failed = false;
      onReload.run();
      log.accept(
          "wasm VM "
              + i
              + " of plugin '"
              + config.pluginName()
              + "' reloaded after a "
              + "failure (next reload no sooner than "
              + slot.backoff.toMillis()
              + " ms after it)");
    } catch (FilterStartException | RuntimeException e) {
      log.accept(
          "wasm VM "
              + i
              + " of plugin '"
              + config.pluginName()
              + "' failed to reload: "
              + e.getMessage());
    }
  }

  /**
   * Ends a stream. {@code vmFailed}: the VM failed while running it, so it is never entered again
   * (its slot fails closed until a reload, if the policy allows one).
   */
  synchronized void release(Lease lease, boolean vmFailed) {
    Slot slot = slots[lease.slot()];
    if (lease.vm() != null && slot.vm == lease.vm()) {
      if (vmFailed && !slot.failed) {
        slot.failed = true;
        failedVms.add(slot.vm);
        log.accept(
            "wasm VM "
                + lease.slot()
                + " of plugin '"
                + config.pluginName()
                + "' failed; "
                + (config.reload()
                    ? "it is replaced by the next request (FAIL_RELOAD)"
                    : "its requests fail until the configuration changes (FAIL_CLOSED)"));
      } else if (!vmFailed) {
        slot.backoff = config.reloadBase();
      }
    }
    inFlight--;
    if (inFlight == 0) {
      failedVms.forEach(VmPool::closeQuietly);
      failedVms.clear();
      if (retired) {
        closeNow();
      }
    }
  }

  /** No new streams will come; close when the in-flight ones are done. */
  /**
   * Linear memory of each live VM, in 64 KiB pages (-1 for a failed slot): a filter whose memory
   * stays flat while long responses pass keeps nothing of them.
   */
  synchronized int[] memoryPages() {
    int[] pages = new int[slots.length];
    for (int i = 0; i < slots.length; i++) {
      pages[i] = slots[i].vm == null || slots[i].failed ? -1 : slots[i].vm.memoryPages();
    }
    return pages;
  }

  synchronized void retire() {
    retired = true;
    if (inFlight == 0) {
      closeNow();
    }
  }

  private void closeNow() {
    if (!closed && inFlight == 0) {
      closed = true;
      for (Slot s : slots) {
        closeQuietly(s.vm);
      }
      failedVms.forEach(VmPool::closeQuietly);
      failedVms.clear();
    }
  }

  private static void closeQuietly(FilterVm vm) {
    try {
      vm.close();
    } catch (RuntimeException e) {
      // a VM that trapped may not close cleanly; it is dropped either way
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
