/** Artifacts for components: downloaded from the hub's artifact store (or a URL), verified, cached on the agent. */
package dev.baton.agent.internal.artifact;
