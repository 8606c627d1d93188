/**
 * The engine client: a minimal HTTP/1.1 client over a unix-domain (or TCP) socket channel, and the typed Engine API
 * calls the provider makes on top of it.
 */
package dev.baton.adapters.container.internal;
