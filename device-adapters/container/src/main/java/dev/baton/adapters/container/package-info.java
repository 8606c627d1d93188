/**
 * The {@code container} component kind: one container per component, run by a Docker-compatible engine (Docker, or
 * Podman's {@code podman system service}) through the Docker Engine REST API v1.41 on the socket that
 * {@code DOCKER_HOST} names ({@code unix:///var/run/docker.sock} by default, {@code tcp://host:port} for plain HTTP).
 *
 * <table>
 *   <caption>Properties</caption>
 *   <tr><th>property</th><th>type</th><th>meaning</th></tr>
 *   <tr><td>{@code image}</td><td>string, required</td><td>{@code [registry[:port]/]path[:tag][@digest]}; tag
 *       {@code latest} when neither tag nor digest is given</td></tr>
 *   <tr><td>{@code command}</td><td>array of strings</td><td>replaces the image's {@code CMD}; at least one string
 *       when present</td></tr>
 *   <tr><td>{@code env}</td><td>object of strings</td><td>added to the image's environment</td></tr>
 *   <tr><td>{@code ports}</td><td>array of strings</td><td>{@code hostPort:containerPort[/tcp|udp|sctp]}, or
 *       {@code hostIp:hostPort:containerPort[/proto]} ({@code [::1]:…} for IPv6)</td></tr>
 *   <tr><td>{@code devices}</td><td>array of strings</td><td>{@code /dev/x[:/dev/y[:rwm]]}</td></tr>
 *   <tr><td>{@code volumes}</td><td>array of strings</td><td>{@code hostPath:containerPath[:ro|rw]}; the source
 *       may also name a volume</td></tr>
 *   <tr><td>{@code restartPolicy}</td><td>string</td><td>{@code no} (default), {@code always},
 *       {@code unless-stopped}, {@code on-failure}</td></tr>
 *   <tr><td>{@code labels}</td><td>object of strings</td><td>added to the container; keys under {@code dev.baton.}
 *       are reserved</td></tr>
 *   <tr><td>{@code pull}</td><td>string</td><td>{@code if-missing} (default), {@code always}, {@code never}</td></tr>
 * </table>
 *
 * @see dev.baton.adapters.container.ContainerProvider
 * @see dev.baton.adapters.container.ContainerLabels
 */
package dev.baton.adapters.container;
