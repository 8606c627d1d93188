/**
 * Discovery handler {@code opcua}: OPC UA servers found through their discovery URLs or a Local Discovery Server
 * (OPC UA Part 4 §5.4, Part 12), reported as {@code opcua-server} devices. Configuration:
 * {@link dev.baton.adapters.opcua.OpcUaDiscoveryConfig}; device properties:
 * {@link dev.baton.adapters.opcua.OpcUaServerProperties}; the trust model:
 * {@link dev.baton.adapters.opcua.CertificatePolicy}. See docs/hardware/opcua.md.
 */
package dev.baton.adapters.opcua;
