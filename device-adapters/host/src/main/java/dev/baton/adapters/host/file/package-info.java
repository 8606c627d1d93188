/**
 * The {@code file} component kind: a file on the agent's host with given content and permissions.
 *
 * <table>
 *   <caption>Properties</caption>
 *   <tr><th>property</th><th>type</th><th>meaning</th></tr>
 *   <tr><td>{@code path}</td><td>string, required</td><td>absolute, normalised (no {@code .} or {@code ..}), no
 *       NUL; must not be an existing directory or symbolic link</td></tr>
 *   <tr><td>{@code content}</td><td>string, default {@code ""}</td><td>written as UTF-8; at most 512 KiB encoded</td></tr>
 *   <tr><td>{@code mode}</td><td>string, default {@code "0644"}</td><td>3 or 4 octal digits, no setuid, setgid or
 *       sticky bit; ignored, with a note in the result, where the file system has no POSIX permissions</td></tr>
 * </table>
 *
 * @see dev.baton.adapters.host.file.FileProvider
 */
package dev.baton.adapters.host.file;
