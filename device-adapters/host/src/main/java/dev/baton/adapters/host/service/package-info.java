/**
 * The {@code service} component kind: a native program shipped as an artifact (tar.gz, zip or a single file),
 * unpacked safely into a directory per version and run supervised, with the previous version kept for a rollback.
 * docs/components.md lists the properties, defaults and limits. Running the service as a systemd unit is not
 * implemented: the agent supervises the process itself.
 *
 * @see dev.baton.adapters.host.service.ServiceProvider
 */
package dev.baton.adapters.host.service;
