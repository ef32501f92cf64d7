package dev.lambdagate.filter;

import dev.lambdagate.abi.Status;
import dev.lambdagate.credentials.SharedStore;
import dev.lambdagate.sdk.Host;
import dev.lambdagate.sdk.SharedValue;

/** Proxy-wasm shared data (one store for every VM of the plugin on this proxy) with CAS. */
final class HostSharedStore implements SharedStore {
  static final HostSharedStore INSTANCE = new HostSharedStore();

  private HostSharedStore() {}

  @Override
  public Entry get(String key) {
    SharedValue value = Host.sharedData(key);
    return new Entry(value.value(), value.cas());
  }

  @Override
  public boolean compareAndSet(String key, byte[] value, int cas) {
    return Host.setSharedData(key, value, cas) == Status.OK;
  }
}
