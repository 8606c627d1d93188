/**
 * The discovery SPI: handlers that find devices ({@link dev.baton.adapters.api.discovery.DiscoveryHandler}), their
 * configuration, and host facts.
 */
package dev.baton.adapters.api.discovery;
