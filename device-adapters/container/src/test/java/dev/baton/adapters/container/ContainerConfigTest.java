package dev.baton.adapters.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.adapters.api.ComponentException;
import dev.baton.adapters.container.testing.ContainerSpecs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContainerConfigTest {

    @Test
    void everyPropertyDecodesToItsTypedValue() {
        final ContainerConfig config = ContainerConfig.decode(
                ContainerSpecs.container(
                        "web",
                        """
                {"image": "registry.example.com:5000/team/web:1.2",
                 "command": ["/bin/web", "--port", "80"],
                 "env": {"MODE": "edge"},
                 "ports": ["8080:80", "127.0.0.1:8443:443/tcp", "[::1]:5353:53/udp"],
                 "devices": ["/dev/ttyUSB0", "/dev/ttyUSB1:/dev/ttyS1", "/dev/video0:/dev/video0:rw"],
                 "volumes": ["/srv/web:/data:ro", "cache:/cache", "/etc/web.conf:/etc/web.conf:rw"],
                 "restartPolicy": "unless-stopped",
                 "labels": {"team": "vision"},
                 "pull": "never"}"""));

        assertThat(config)
                .isEqualTo(new ContainerConfig(
                        new ImageReference("registry.example.com:5000/team/web", "1.2", null),
                        List.of("/bin/web", "--port", "80"),
                        Map.of("MODE", "edge"),
                        List.of(
                                new PortBinding("", 8080, 80, "tcp"),
                                new PortBinding("127.0.0.1", 8443, 443, "tcp"),
                                new PortBinding("::1", 5353, 53, "udp")),
                        List.of(
                                new DeviceMapping("/dev/ttyUSB0", "/dev/ttyUSB0", "rwm"),
                                new DeviceMapping("/dev/ttyUSB1", "/dev/ttyS1", "rwm"),
                                new DeviceMapping("/dev/video0", "/dev/video0", "rw")),
                        List.of(
                                new VolumeMount("/srv/web", "/data", true),
                                new VolumeMount("cache", "/cache", false),
                                new VolumeMount("/etc/web.conf", "/etc/web.conf", false)),
                        RestartPolicy.UNLESS_STOPPED,
                        Map.of("team", "vision"),
                        PullPolicy.NEVER));
    }

    @Test
    void onlyTheImageIsRequiredAndTheRestDefaultsToTheEngineAndImageDefaults() {
        final ContainerConfig config = ContainerConfig.decode(ContainerSpecs.container("web", "{\"image\": \"web\"}"));

        assertThat(config.image().pullTag()).isEqualTo("latest");
        assertThat(config.command()).isEmpty();
        assertThat(config.env()).isEmpty();
        assertThat(config.ports()).isEmpty();
        assertThat(config.restartPolicy()).isEqualTo(RestartPolicy.NO);
        assertThat(config.pull()).isEqualTo(PullPolicy.IF_MISSING);
    }

    @ParameterizedTest(name = "{0} pulls {1} at {2}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            busybox                                   | busybox                        | latest
            localhost/app:1                           | localhost/app                  | 1
            localhost:5000/a/b_c__d-e.f:v1.0-rc_2     | localhost:5000/a/b_c__d-e.f    | v1.0-rc_2
            ghcr.io/org/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef | ghcr.io/org/app | sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
            """)
    void imageReferencesFollowTheDistributionGrammar(
            final String reference, final String expectedName, final String expectedPullTag) {
        final ImageReference image = ImageReference.parse(reference);

        assertThat(image.name()).isEqualTo(expectedName);
        assertThat(image.pullTag()).isEqualTo(expectedPullTag);
        assertThat(image).hasToString(reference);
    }

    @ParameterizedTest(name = "{0} is refused: {1}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            {}                                                    | container component 'web' needs property 'image' (a string, the image reference
            {"image": 7}                                          | property 'image' must be a string, but was a number
            {"image": "Web:1"}                                    | property 'image' must be an image reference such as localhost/app:1
            {"image": "web:"}                                     | property 'image' must be an image reference
            {"image": "web", "command": "sleep 1"}                | property 'command' must be an array of strings, but was a string
            {"image": "web", "command": []}                       | property 'command' must hold at least 1 string, but was empty; leave it out to run the image's own command
            {"image": "web", "env": {"A=B": "x"}}                 | property 'env' has variable name "A=B"
            {"image": "web", "env": {"PORT": 8080}}               | property 'env.PORT' must be a string, but was a number
            {"image": "web", "ports": ["80"]}                     | property 'ports[0]' must be hostPort:containerPort[/proto] or hostIp:hostPort:containerPort[/proto], e.g. 8080:80 or 127.0.0.1:8080:80/tcp, but was "80"
            {"image": "web", "ports": ["8080:80/icmp"]}           | property 'ports[0]' has protocol "icmp"; it must be tcp, udp or sctp, but was "8080:80/icmp"
            {"image": "web", "ports": ["70000:80"]}               | property 'ports[0]' has host port "70000"; it must be a number from 1 to 65535, but was "70000:80"
            {"image": "web", "ports": ["8080:0"]}                 | property 'ports[0]' has container port "0"; it must be a number from 1 to 65535
            {"image": "web", "ports": ["8000-8010:80"]}           | property 'ports[0]' has host port "8000-8010"; port ranges are not supported, list each port
            {"image": "web", "ports": ["localhost:8080:80"]}      | property 'ports[0]' has host address "localhost"; it must be an IPv4 address such as 127.0.0.1 or a bracketed IPv6 address such as [::1]
            {"image": "web", "ports": ["256.0.0.1:8080:80"]}      | property 'ports[0]' has host address "256.0.0.1"
            {"image": "web", "ports": ["8080:80", "8080:81"]}     | property 'ports[1]' publishes host port 8080/tcp a second time
            {"image": "web", "ports": [8080]}                     | property 'ports[0]' must be a string, but was a number
            {"image": "web", "devices": ["ttyUSB0"]}              | property 'devices[0]' has host path "ttyUSB0"; it must be an absolute path to a file, e.g. /dev/ttyUSB0, but was "ttyUSB0"
            {"image": "web", "devices": ["/dev/a:/dev/b:rwx"]}    | property 'devices[0]' has permissions "rwx"; they must be letters of rwm (read, write, mknod), each at most once, e.g. rw
            {"image": "web", "devices": ["/dev/../etc/shadow"]}   | property 'devices[0]' has host path "/dev/../etc/shadow"; it must be a normalised path
            {"image": "web", "devices": ["/dev/a:/dev/b:rw:x"]}   | property 'devices[0]' must be hostPath[:containerPath[:permissions]]
            {"image": "web", "volumes": ["/srv/web"]}             | property 'volumes[0]' must be hostPath:containerPath[:ro|rw], e.g. /srv/data:/data:ro, but was "/srv/web"
            {"image": "web", "volumes": ["/srv/web:data"]}        | property 'volumes[0]' has container path "data"; it must be an absolute path
            {"image": "web", "volumes": ["/srv/web:/data:rx"]}    | property 'volumes[0]' has mode "rx"; it must be ro or rw
            {"image": "web", "volumes": ["my vol:/data"]}         | property 'volumes[0]' has source "my vol"; it must be an absolute host path or a volume name
            {"image": "web", "restartPolicy": "sometimes"}        | property 'restartPolicy' must be "no", "always", "unless-stopped" or "on-failure", but was "sometimes"
            {"image": "web", "restartPolicy": "on-failure:3"}     | property 'restartPolicy' must be "no", "always", "unless-stopped" or "on-failure", but was "on-failure:3"
            {"image": "web", "labels": {"dev.baton.managed": "x"}} | property 'labels' has key "dev.baton.managed"; keys starting with dev.baton. are reserved for Baton's own labels
            {"image": "web", "labels": {"team": true}}            | property 'labels.team' must be a string, but was a boolean
            {"image": "web", "pull": "sometimes"}                 | property 'pull' must be "if-missing", "always" or "never", but was "sometimes"
            {"image": "web", "ports": ["8080:80"], "port": "1"}   | has unknown property 'port'; container components take command, devices, env, image, labels, ports, pull, restartPolicy, volumes
            """)
    void invalidSpecIsRefusedNamingThePropertyAndValue(final String json, final String expectedMessage) {
        assertThatThrownBy(() -> ContainerConfig.decode(ContainerSpecs.container("web", json)))
                .isInstanceOfSatisfying(ComponentException.class, e -> assertThat(e.reason())
                        .isEqualTo(ComponentException.Reason.INVALID_SPEC))
                .hasMessageContaining(expectedMessage);
    }

    @ParameterizedTest(name = "{0} is refused without raw control characters")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            {"image": "web", "ports": ["8080:80/\\u001b[2J"]}    | has protocol "\\u001b[2J"
            {"image": "web", "devices": ["/dev/a\\nb"]}          | but was "/dev/a\\u000ab"
            {"image": "web", "command": ["sleep", "1\\u0000"]}   | property 'command[1]' must not contain a NUL character
            {"image": "web", "env": {"A": "x\\u0000"}}           | property 'env.A' must not contain a NUL character
            """)
    void userInputInAnErrorHasItsControlCharactersEscaped(final String json, final String expectedMessage) {
        assertThatThrownBy(() -> ContainerConfig.decode(ContainerSpecs.container("web", json)))
                .isInstanceOf(ComponentException.class)
                .hasMessageContaining(expectedMessage)
                .hasMessageNotContaining("\n")
                .hasMessageNotContaining("\u001b");
    }
}
