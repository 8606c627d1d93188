/**
 * The {@code script} component kind: scripts that apply, check and remove something on the agent's host, run by
 * bash on Linux and PowerShell on Windows. docs/components.md lists the properties, defaults and limits.
 *
 * @see dev.baton.adapters.host.script.ScriptProvider
 */
package dev.baton.adapters.host.script;
