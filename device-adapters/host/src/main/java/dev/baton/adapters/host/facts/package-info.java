/**
 * Host facts: what the agent reports about its own host (OS, kernel, CPU, memory, disks, network interfaces,
 * container runtime, GPUs), collected by {@link dev.baton.adapters.host.facts.SystemHostFacts}; the keys are listed
 * in docs/hardware/usb.md.
 */
package dev.baton.adapters.host.facts;
