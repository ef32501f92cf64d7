package dev.lambdagate.controlplane.xds;

/** Told when Envoys of a node group reject or accept a configuration version. */
public interface NackListener {
  /** Envoys of {@code group} rejected {@code version} of {@code typeUrl}. */
  void onNack(String group, String typeUrl, String version, String detail);

  /** Envoys of {@code group} accepted {@code version} of {@code typeUrl}. */
  void onAck(String group, String typeUrl, String version);

  NackListener NONE =
      new NackListener() {
        @Override
        public void onNack(String group, String typeUrl, String version, String detail) {}

        @Override
        public void onAck(String group, String typeUrl, String version) {}
      };
}
