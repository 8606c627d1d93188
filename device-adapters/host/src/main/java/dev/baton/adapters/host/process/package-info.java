/**
 * The {@code process} component kind: a long-running process on the agent's host, supervised and restarted with
 * back-off, and adopted by a restarted agent rather than started twice.
 *
 * <table>
 *   <caption>Properties</caption>
 *   <tr><th>property</th><th>type</th><th>meaning</th></tr>
 *   <tr><td>{@code command}</td><td>array of strings, required</td><td>at least one; the executable first (an
 *       absolute path, or a name looked up on the agent's {@code PATH}), then its arguments; no shell is
 *       involved</td></tr>
 *   <tr><td>{@code env}</td><td>object of strings</td><td>added to, or overriding, the agent's environment</td></tr>
 *   <tr><td>{@code workingDir}</td><td>string</td><td>absolute, normalised; must be an existing directory when the
 *       process starts; the agent's own working directory when absent</td></tr>
 * </table>
 *
 * <p>In the component's state directory: {@code output.log} (stdout and stderr), {@code output.log.1} (the previous
 * generation: the log is rotated when it passes 1 MiB, at a start and, checked every 10 s, while the process runs; it
 * can pass 1 MiB by what the process writes in those 10 s) and {@code process.json} (pid, start instant, spec hash).
 *
 * @see dev.baton.adapters.host.process.ProcessProvider
 */
package dev.baton.adapters.host.process;
