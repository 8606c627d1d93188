package dev.baton.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.protocol.Names;
import dev.baton.protocol.ProtocolException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jetbrains.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;

/**
 * {@code baton}: the operator's command line for a hub's REST API.
 *
 * <p>Exit codes: 0 success; 1 the hub refused the request (its error message is printed) or a local input is bad;
 * 2 the hub cannot be reached, or the command line is wrong.
 */
@Command(
        name = "baton",
        mixinStandardHelpOptions = true,
        versionProvider = JarVersion.class,
        description = "Operates a Baton hub: nodes, desired state, enrollment tokens, events, devices, artifacts.",
        subcommands = {
            BatonCli.Nodes.class,
            BatonCli.NodeCommand.class,
            BatonCli.Desired.class,
            BatonCli.Token.class,
            BatonCli.Events.class,
            BatonCli.Devices.class,
            BatonCli.DeviceCommand.class,
            BatonCli.Wait.class,
            BatonCli.Artifact.class,
            CommandLine.HelpCommand.class
        })
public final class BatonCli {

    static final String DEFAULT_HUB = "http://127.0.0.1:8080";

    @Option(
            names = "--hub",
            paramLabel = "URL",
            scope = ScopeType.INHERIT,
            defaultValue = "${env:BATON_HUB:-" + DEFAULT_HUB + "}",
            description = "The hub's base URL. Default: $BATON_HUB, else " + DEFAULT_HUB + ".")
    String hub;

    @Option(
            names = "--token",
            paramLabel = "TOKEN",
            scope = ScopeType.INHERIT,
            defaultValue = "${env:BATON_TOKEN}",
            description = "API token. Default: $BATON_TOKEN.")
    @Nullable
    String token;

    @Option(
            names = "--token-file",
            paramLabel = "FILE",
            scope = ScopeType.INHERIT,
            description = "File holding the API token, e.g. <hub data dir>/admin.token.")
    @Nullable
    Path tokenFile;

    @Option(
            names = "--tenant",
            paramLabel = "NAME",
            scope = ScopeType.INHERIT,
            defaultValue = "default",
            description = "Tenant. Default: ${DEFAULT-VALUE}.")
    String tenant;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print the hub's JSON answer as it is.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(final String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, for {@code main} and tests. */
    public static CommandLine commandLine() {
        final CommandLine commandLine = new CommandLine(new BatonCli());
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> {
            if (exception instanceof CliException cli) {
                line.getErr().println("baton: " + cli.getMessage());
                line.getErr().flush();
                return cli.exitCode();
            }
            throw exception;
        });
        return commandLine;
    }

    HubClient client() {
        return new HubClient(hubUri(), token());
    }

    String tenantPath() {
        return "/api/v1/tenants/" + checkName(tenant, "--tenant");
    }

    /** {@code /api/v1/tenants/{tenant}/nodes/{name}}, refusing a name the hub would refuse. */
    String nodePath(final String name) {
        return tenantPath() + "/nodes/" + checkName(name, "node");
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Prints the hub's {@code answer}: as it is with {@code --json}, else as {@code asText} prints it. */
    void print(final HubClient client, final JsonNode answer, final Consumer<PrintWriter> asText) {
        if (json) {
            printJson(client, answer);
        } else {
            asText.accept(out());
        }
    }

    void printJson(final HubClient client, final JsonNode answer) {
        try {
            out().println(client.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(answer));
        } catch (final JsonProcessingException e) {
            throw new CliException(1, "cannot print the hub's answer: " + e.getOriginalMessage());
        }
    }

    static String checkName(final String name, final String what) {
        try {
            return Names.checkName(name, what);
        } catch (final ProtocolException e) {
            throw new CliException(1, e.getMessage());
        }
    }

    private URI hubUri() {
        try {
            final URI uri = new URI(hub.endsWith("/") ? hub.substring(0, hub.length() - 1) : hub);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new CliException(1, "--hub must be http://HOST:PORT or https://HOST:PORT, but was '" + hub + "'");
            }
            return uri;
        } catch (final URISyntaxException e) {
            throw new CliException(1, "--hub is not a URL: " + e.getMessage());
        }
    }

    private @Nullable String token() {
        if (tokenFile != null) {
            try {
                return Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
            } catch (final NoSuchFileException e) {
                throw new CliException(1, "--token-file " + tokenFile + " does not exist");
            } catch (final IOException e) {
                throw new CliException(1, "cannot read --token-file " + tokenFile + ": " + e.getMessage());
            }
        }
        return token == null || token.isBlank() ? null : token.strip();
    }

    static String text(final JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? "-" : node.asText();
    }

    static String yesNo(final JsonNode node) {
        return node.asBoolean() ? "yes" : "no";
    }

    /** {@code baton nodes}. */
    @Command(name = "nodes", description = "Lists the tenant's nodes.")
    static final class Nodes implements Runnable {

        @ParentCommand
        BatonCli cli;

        @Override
        public void run() {
            final HubClient client = cli.client();
            final JsonNode answer = client.get(cli.tenantPath() + "/nodes");
            cli.print(client, answer, out -> table(answer).print(out));
        }

        private static TextTable table(final JsonNode answer) {
            final TextTable table =
                    new TextTable("NAME", "ONLINE", "DESIRED", "OBSERVED", "IN-SYNC", "HEALTHY/TOTAL", "LAST-SEEN");
            for (final JsonNode node : answer.path("items")) {
                table.row(
                        text(node.path("name")),
                        yesNo(node.path("online")),
                        text(node.path("desiredGeneration")),
                        text(node.path("observedGeneration")),
                        yesNo(node.path("inSync")),
                        node.path("components").path("healthy").asInt() + "/"
                                + node.path("components").path("total").asInt(),
                        text(node.path("lastSeen")));
            }
            return table;
        }
    }

    /** {@code baton devices}. */
    @Command(name = "devices", description = "Lists the tenant's discovered devices.")
    static final class Devices implements Runnable {

        @ParentCommand
        BatonCli cli;

        @Option(names = "--kind", paramLabel = "KIND", description = "Only this kind, e.g. onvif-camera.")
        String kind;

        @Option(names = "--node", paramLabel = "NODE", description = "Only devices this node sees now.")
        String node;

        @Option(names = "--state", paramLabel = "STATE", description = "present or missing.")
        String state;

        @Option(
                names = "--property",
                paramLabel = "KEY=GLOB",
                description = "Only devices whose property matches, e.g. manufacturer=Acme*; may repeat.")
        List<String> properties = new ArrayList<>();

        @Option(names = "--limit", paramLabel = "N", description = "At most N devices (default 100, max 1000).")
        Integer limit;

        @Override
        public void run() {
            final List<String> query = new ArrayList<>();
            add(query, "kind", kind);
            add(query, "node", node);
            add(query, "state", state);
            properties.forEach(property -> add(query, "property", property));
            add(query, "limit", limit == null ? null : limit.toString());
            final HubClient client = cli.client();
            final JsonNode answer =
                    client.get(cli.tenantPath() + "/devices" + (query.isEmpty() ? "" : "?" + String.join("&", query)));
            cli.print(client, answer, out -> {
                table(answer).print(out);
                if (!answer.path("next").isNull() && !answer.path("next").isMissingNode()) {
                    out.println("(more devices: narrow the filters or raise --limit)");
                }
            });
        }

        private static void add(final List<String> query, final String name, final String value) {
            if (value != null) {
                query.add(name + '=' + URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }

        private static TextTable table(final JsonNode answer) {
            final TextTable table = new TextTable("ID", "KIND", "NAME", "STATE", "NODES", "LAST-SEEN");
            for (final JsonNode device : answer.path("items")) {
                final List<String> nodes = new ArrayList<>();
                device.path("nodes").forEach(n -> nodes.add(n.path("node").asText()));
                table.row(
                        text(device.path("id")),
                        text(device.path("kind")),
                        text(device.path("name")),
                        text(device.path("state")),
                        nodes.isEmpty() ? "-" : String.join(",", nodes),
                        text(device.path("lastSeen")));
            }
            return table;
        }
    }

    /** {@code baton device ID}. */
    @Command(name = "device", description = "Shows one device with its properties and the nodes that see it.")
    static final class DeviceCommand implements Runnable {

        @ParentCommand
        BatonCli cli;

        @Parameters(paramLabel = "ID", description = "Device id as `baton devices` lists it.")
        String id;

        @Override
        public void run() {
            final HubClient client = cli.client();
            // Ids hold ':' and '/', so the path segment is percent-encoded (and '+' is not a space in a path).
            final String segment = URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
            final JsonNode device = client.get(cli.tenantPath() + "/devices/" + segment);
            cli.print(client, device, out -> {
                out.println("Device:     " + text(device.path("id")));
                out.println(
                        "Kind:       " + text(device.path("kind")) + " (found by " + text(device.path("source")) + ')');
                out.println("Name:       " + text(device.path("name")));
                out.println("State:      " + text(device.path("state")) + " (first seen "
                        + text(device.path("firstSeen")) + ", last seen " + text(device.path("lastSeen")) + ')');
                final JsonNode firmware = device.path("firmware");
                if (firmware.isObject()) {
                    out.println("Firmware:   " + text(firmware.path("sha256"))
                            + (firmware.path("verified").asBoolean() ? " (verified" : " (not read back")
                            + (firmware.hasNonNull("chipId") ? ", chip " + text(firmware.path("chipId")) : "")
                            + ", flashed " + text(firmware.path("flashedAt")) + " by " + text(firmware.path("node"))
                            + "/" + text(firmware.path("component")) + ')');
                }
                final TextTable nodes = new TextTable("NODE", "ONLINE", "SEEN-SINCE");
                device.path("nodes")
                        .forEach(n ->
                                nodes.row(text(n.path("node")), yesNo(n.path("online")), text(n.path("firstSeen"))));
                out.println();
                nodes.print(out);
                out.println();
                out.println("Properties:");
                out.println(device.path("properties").toPrettyString());
            });
        }
    }

    /** {@code baton node NAME}. */
    @Command(name = "node", description = "Shows one node and its components.")
    static final class NodeCommand implements Runnable {

        @ParentCommand
        BatonCli cli;

        @Parameters(paramLabel = "NAME", description = "Node name.")
        String name;

        @Override
        public void run() {
            final HubClient client = cli.client();
            final JsonNode node = client.get(cli.nodePath(name));
            cli.print(client, node, out -> printText(node, out));
        }

        private static void printText(final JsonNode node, final PrintWriter out) {
            final JsonNode desired = node.path("desired");
            final JsonNode reported = node.path("reported");
            out.println("Node:      " + text(node.path("tenant")) + '/' + text(node.path("name")));
            out.println(
                    "Online:    " + yesNo(node.path("online")) + " (last seen " + text(node.path("lastSeen")) + ')');
            out.println("Agent:     " + text(node.path("agentVersion")) + " (boot " + text(node.path("bootId")) + ')');
            out.println("Labels:    " + labels(node.path("labels")));
            out.println("Desired:   generation " + text(desired.path("generation")) + " (updated "
                    + text(desired.path("updatedAt")) + ')');
            out.println("Observed:  generation " + text(reported.path("observedGeneration")) + " ("
                    + (node.path("inSync").asBoolean() ? "in sync" : "not in sync") + ')');
            out.println();
            final TextTable table = new TextTable("NAME", "KIND", "STATE", "MESSAGE");
            final Set<String> shown = new HashSet<>();
            for (final JsonNode component : reported.path("components")) {
                shown.add(component.path("name").asText());
                table.row(
                        text(component.path("name")),
                        text(component.path("kind")),
                        text(component.path("state")),
                        text(component.path("message")));
            }
            for (final JsonNode component : desired.path("components")) {
                if (!shown.contains(component.path("name").asText())) {
                    table.row(
                            text(component.path("name")),
                            text(component.path("kind")),
                            "-",
                            "desired, not reported by the node yet");
                }
            }
            table.print(out);
            for (final JsonNode condition : reported.path("conditions")) {
                if ("RolledBack".equals(condition.path("type").asText())
                        && condition.path("status").asBoolean()) {
                    out.println();
                    out.println("Rolled back: " + text(condition.path("message")));
                }
            }
            final JsonNode plan = reported.path("plan");
            if (plan.isObject()) {
                out.println();
                out.println("Plan of generation " + text(plan.path("generation"))
                        + (plan.path("dryRun").asBoolean() ? " (dry run, nothing changed)" : "") + ": "
                        + text(plan.path("unchanged")) + " unchanged");
                for (final JsonNode step : plan.path("steps")) {
                    out.println("  " + text(step.path("action")) + ' ' + text(step.path("component")) + " ("
                            + text(step.path("kind")) + "): " + text(step.path("detail")));
                }
            }
            if (node.path("rollbacks").size() > 0) {
                out.println();
                out.println("Rollback history (newest first):");
                for (final JsonNode event : node.path("rollbacks")) {
                    out.println("  " + text(event.path("timestamp")) + ' ' + text(event.path("message")));
                }
            }
        }

        private static String labels(final JsonNode labels) {
            final List<String> pairs = new ArrayList<>();
            labels.fields()
                    .forEachRemaining(field ->
                            pairs.add(field.getKey() + '=' + field.getValue().asText()));
            return pairs.isEmpty() ? "-" : String.join(", ", pairs);
        }
    }

    /** {@code baton desired set|get}. */
    @Command(
            name = "desired",
            description = "Sets or shows a node's desired state.",
            subcommands = {DesiredSet.class, DesiredGet.class})
    static final class Desired {

        @ParentCommand
        BatonCli cli;
    }

    /** {@code baton desired set NAME FILE [--if-generation N]}. */
    @Command(name = "set", description = "Sets the desired state from a JSON file {\"components\": [...]}.")
    static final class DesiredSet implements Runnable {

        @ParentCommand
        Desired desired;

        @Parameters(index = "0", paramLabel = "NAME", description = "Node name.")
        String name;

        @Parameters(index = "1", paramLabel = "FILE", description = "JSON file with the desired state.")
        Path file;

        @Option(
                names = "--if-generation",
                paramLabel = "N",
                description = "Only if the current generation is N (compare-and-set).")
        @Nullable
        Long ifGeneration;

        @Override
        public void run() {
            final BatonCli cli = desired.cli;
            final byte[] body;
            try {
                body = Files.readAllBytes(file);
            } catch (final NoSuchFileException e) {
                throw new CliException(1, "file " + file + " does not exist");
            } catch (final IOException e) {
                throw new CliException(1, "cannot read " + file + ": " + e.getMessage());
            }
            final Map<String, String> headers = new LinkedHashMap<>();
            if (ifGeneration != null) {
                headers.put("If-Match", "\"" + ifGeneration + '"');
            }
            final HubClient client = cli.client();
            final JsonNode answer = client.put(cli.nodePath(name) + "/desired", body, headers);
            cli.print(client, answer, out -> out.println("generation " + text(answer.path("generation"))));
        }
    }

    /** {@code baton desired get NAME}. */
    @Command(name = "get", description = "Prints the current desired document.")
    static final class DesiredGet implements Runnable {

        @ParentCommand
        Desired desired;

        @Parameters(paramLabel = "NAME", description = "Node name.")
        String name;

        @Override
        public void run() {
            final BatonCli cli = desired.cli;
            final HubClient client = cli.client();
            cli.printJson(client, client.get(cli.nodePath(name) + "/desired"));
        }
    }

    /** {@code baton token create}. */
    @Command(name = "token", description = "Manages enrollment tokens.", subcommands = TokenCreate.class)
    static final class Token {

        @ParentCommand
        BatonCli cli;
    }

    /** {@code baton token create [--expires 24h] [--max-uses N] [--label k=v]…}: prints the token. */
    @Command(name = "create", description = "Creates an enrollment token and prints it (it is shown only once).")
    static final class TokenCreate implements Runnable {

        private static final Pattern DURATION = Pattern.compile("([1-9][0-9]{0,8})([smhd])");

        @ParentCommand
        Token token;

        @Option(
                names = "--expires",
                paramLabel = "DURATION",
                defaultValue = "24h",
                description = "How long the token is valid: 90s, 30m, 24h, 7d. Default: ${DEFAULT-VALUE}.")
        String expires;

        @Option(
                names = "--max-uses",
                paramLabel = "N",
                defaultValue = "1",
                description = "How many nodes may enroll with it. Default: ${DEFAULT-VALUE}.")
        int maxUses;

        @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Label for nodes enrolled with it.")
        List<String> labels = new ArrayList<>();

        @Override
        public void run() {
            final BatonCli cli = token.cli;
            final HubClient client = cli.client();
            final ObjectNode body = client.mapper().createObjectNode();
            body.put("expiresInSeconds", seconds(expires, "--expires"));
            body.put("maxUses", maxUses);
            final ObjectNode labelNode = body.putObject("labels");
            for (final String label : labels) {
                final int equals = label.indexOf('=');
                if (equals <= 0) {
                    throw new CliException(1, "--label must be KEY=VALUE, but was '" + label + "'");
                }
                labelNode.put(label.substring(0, equals), label.substring(equals + 1));
            }
            final JsonNode answer;
            try {
                answer = client.post(
                        cli.tenantPath() + "/enrollment-tokens", client.mapper().writeValueAsBytes(body));
            } catch (final JsonProcessingException e) {
                throw new CliException(1, "cannot encode the request: " + e.getOriginalMessage());
            }
            cli.print(client, answer, out -> out.println(text(answer.path("token"))));
        }

        static long seconds(final String duration, final String option) {
            final Matcher matcher = DURATION.matcher(duration.strip());
            if (!matcher.matches()) {
                throw new CliException(
                        1,
                        option + " must be a number and a unit (s, m, h or d) such as 30m or 7d, but was '" + duration
                                + "'");
            }
            final long amount = Long.parseLong(matcher.group(1));
            final Duration unit =
                    switch (matcher.group(2)) {
                        case "s" -> Duration.ofSeconds(1);
                        case "m" -> Duration.ofMinutes(1);
                        case "h" -> Duration.ofHours(1);
                        default -> Duration.ofDays(1);
                    };
            return unit.multipliedBy(amount).toSeconds();
        }
    }

    /** {@code baton events NAME [--limit N]}. */
    @Command(name = "events", description = "Lists a node's events, newest first.")
    static final class Events implements Runnable {

        @ParentCommand
        BatonCli cli;

        @Parameters(paramLabel = "NAME", description = "Node name.")
        String name;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most N events (1..1000).")
        int limit;

        @Override
        public void run() {
            final HubClient client = cli.client();
            final JsonNode answer = client.get(cli.nodePath(name) + "/events?limit=" + limit);
            cli.print(client, answer, out -> table(answer).print(out));
        }

        private static TextTable table(final JsonNode answer) {
            final TextTable table = new TextTable("SEQ", "TIME", "SEVERITY", "TYPE", "COMPONENT", "MESSAGE");
            for (final JsonNode event : answer.path("items")) {
                table.row(
                        text(event.path("seq")),
                        text(event.path("timestamp")),
                        text(event.path("severity")),
                        text(event.path("type")),
                        text(event.path("component")),
                        text(event.path("message")));
            }
            return table;
        }
    }

    /**
     * {@code baton wait NAME [--timeout 60s]}: waits until the node has applied its newest desired generation and
     * every desired component reports healthy. Exits 1 at once when a component of that generation failed.
     */
    @Command(name = "wait", description = "Waits until a node runs its newest desired state healthily.")
    static final class Wait implements Runnable {

        /** The longest the hub holds one waiting request; the command asks again until its own timeout. */
        private static final Duration LONGEST_REQUEST = Duration.ofSeconds(25);

        private static final Duration MIN_REQUEST_INTERVAL = Duration.ofMillis(100);

        @ParentCommand
        BatonCli cli;

        @Parameters(paramLabel = "NAME", description = "Node name.")
        String name;

        @Option(
                names = "--timeout",
                paramLabel = "DURATION",
                defaultValue = "60s",
                description = "Give up after this long: 90s, 5m. Default: ${DEFAULT-VALUE}.")
        String timeout;

        @Override
        public void run() {
            final HubClient client = cli.client();
            final String path = cli.nodePath(name);
            final long deadline = System.nanoTime()
                    + Duration.ofSeconds(TokenCreate.seconds(timeout, "--timeout"))
                            .toNanos();
            JsonNode node = client.get(path);
            long asked = System.nanoTime();
            while (true) {
                final String failure = failure(node);
                if (failure != null) {
                    throw new CliException(1, "node " + name + ": " + failure);
                }
                if (converged(node)) {
                    break;
                }
                final String stuck = settledUnhealthy(node);
                if (stuck != null) {
                    throw new CliException(
                            1,
                            "node " + name + " worked through desired generation "
                                    + text(node.path("desired").path("generation")) + " but " + stuck);
                }
                final long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new CliException(
                            1,
                            "node " + name + " did not converge within " + timeout + ": desired generation "
                                    + text(node.path("desired").path("generation")) + ", observed "
                                    + text(node.path("reported").path("observedGeneration")) + ", online "
                                    + yesNo(node.path("online")));
                }
                final long generation = node.path("desired").path("generation").asLong();
                if (generation < 1) {
                    throw new CliException(
                            1,
                            "node " + name + " has no desired state to wait for; set it with `baton desired set " + name
                                    + " FILE`");
                }
                // The hub answers as soon as the node has reported the generation settled: no polling here.
                final Duration wait = Duration.ofNanos(Math.min(remaining, LONGEST_REQUEST.toNanos()));
                // A settled answer that the checks above did not end (a desired component the node has not
                // reported): ask again, but not in a tight loop.
                pause(MIN_REQUEST_INTERVAL.minusNanos(System.nanoTime() - asked));
                asked = System.nanoTime();
                node = client.getWhenSettled(path, generation, wait);
            }
            final JsonNode converged = node;
            cli.print(
                    client,
                    converged,
                    out -> out.println("node " + name + " runs desired generation "
                            + text(converged.path("desired").path("generation"))));
        }

        private static void pause(final Duration duration) {
            if (duration.isNegative() || duration.isZero()) {
                return;
            }
            try {
                Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(1, "interrupted");
            }
        }

        /**
         * When the node is in sync and nothing is pending or applying any more, yet a component is not healthy (it
         * was rolled back, say): what that component reports. Waiting longer would not change it.
         */
        private static @Nullable String settledUnhealthy(final JsonNode node) {
            if (!node.path("inSync").asBoolean()) {
                return null;
            }
            JsonNode unhealthy = null;
            for (final JsonNode component : node.path("reported").path("components")) {
                final String state = component.path("state").asText();
                if ("pending".equals(state) || "applying".equals(state)) {
                    return null;
                }
                if (unhealthy == null && !"healthy".equals(state) && !"removed".equals(state)) {
                    unhealthy = component;
                }
            }
            return unhealthy == null
                    ? null
                    : "component " + text(unhealthy.path("name")) + " is " + text(unhealthy.path("state")) + ": "
                            + text(unhealthy.path("message"));
        }

        private static boolean converged(final JsonNode node) {
            final long generation = node.path("desired").path("generation").asLong();
            if (generation < 1 || !node.path("inSync").asBoolean()) {
                return false;
            }
            final Map<String, String> states = new LinkedHashMap<>();
            node.path("reported")
                    .path("components")
                    .forEach(c ->
                            states.put(c.path("name").asText(), c.path("state").asText()));
            for (final JsonNode component : node.path("desired").path("components")) {
                if (!"healthy".equals(states.get(component.path("name").asText()))) {
                    return false;
                }
            }
            return true;
        }

        private static @Nullable String failure(final JsonNode node) {
            if (!node.path("inSync").asBoolean()) {
                return null;
            }
            for (final JsonNode component : node.path("reported").path("components")) {
                if ("failed".equals(component.path("state").asText())) {
                    return "component " + text(component.path("name")) + " failed: " + text(component.path("message"));
                }
            }
            return null;
        }
    }

    /** {@code baton artifact upload|list|delete}. */
    @Command(
            name = "artifact",
            description = "Manages the tenant's artifact store (service archives, firmware images).",
            subcommands = {ArtifactUpload.class, ArtifactList.class, ArtifactDelete.class})
    static final class Artifact {

        @ParentCommand
        BatonCli cli;
    }

    /**
     * {@code baton artifact upload FILE [--name N]}: streams the file to the hub with its SHA-256 computed here, so
     * that the hub refuses content damaged on the way; prints the SHA-256 that desired documents name.
     */
    @Command(
            name = "upload",
            description = "Uploads a file to the artifact store and prints its SHA-256 (what a component's"
                    + " 'artifact' names).")
    static final class ArtifactUpload implements Runnable {

        @ParentCommand
        Artifact artifact;

        @Parameters(paramLabel = "FILE", description = "The file to upload.")
        Path file;

        @Option(
                names = "--name",
                paramLabel = "NAME",
                description = "Name shown in `baton artifact list`. Default: the file's name.")
        @Nullable
        String name;

        @Override
        public void run() {
            final BatonCli cli = artifact.cli;
            if (!Files.isRegularFile(file)) {
                throw new CliException(1, "file " + file + " does not exist or is not a regular file");
            }
            final String sha256 = sha256(file);
            final String shownName = name != null ? name : file.getFileName().toString();
            final HubClient client = cli.client();
            final JsonNode answer = client.upload(
                    cli.tenantPath() + "/artifacts?name=" + URLEncoder.encode(shownName, StandardCharsets.UTF_8)
                            + "&sha256=" + sha256,
                    file);
            cli.print(client, answer, out -> out.println(text(answer.path("sha256"))));
        }

        private static String sha256(final Path file) {
            final MessageDigest digest;
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (final NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
            try (InputStream in = Files.newInputStream(file)) {
                final byte[] buffer = new byte[65536];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    digest.update(buffer, 0, n);
                }
            } catch (final IOException e) {
                throw new CliException(1, "cannot read " + file + ": " + e.getMessage());
            }
            return HexFormat.of().formatHex(digest.digest());
        }
    }

    /** {@code baton artifact list}. */
    @Command(name = "list", description = "Lists the tenant's artifacts.")
    static final class ArtifactList implements Runnable {

        @ParentCommand
        Artifact artifact;

        @Override
        public void run() {
            final BatonCli cli = artifact.cli;
            final HubClient client = cli.client();
            final JsonNode answer = client.get(cli.tenantPath() + "/artifacts");
            cli.print(client, answer, out -> {
                final TextTable table = new TextTable("SHA256", "SIZE", "NAME", "CREATED");
                for (final JsonNode item : answer.path("items")) {
                    table.row(
                            text(item.path("sha256")),
                            text(item.path("size")),
                            text(item.path("name")),
                            text(item.path("createdAt")));
                }
                table.print(out);
            });
        }
    }

    /** {@code baton artifact delete SHA256}: refused (exit 1) while a node's desired state names it. */
    @Command(name = "delete", description = "Deletes an artifact no desired state names any more.")
    static final class ArtifactDelete implements Runnable {

        private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

        @ParentCommand
        Artifact artifact;

        @Parameters(paramLabel = "SHA256", description = "The artifact's SHA-256, as `baton artifact list` shows it.")
        String sha256;

        @Override
        public void run() {
            final BatonCli cli = artifact.cli;
            if (!SHA256.matcher(sha256).matches()) {
                throw new CliException(1, "SHA256 must be 64 lower-case hex digits, but was '" + sha256 + "'");
            }
            final HubClient client = cli.client();
            final JsonNode answer = client.delete(cli.tenantPath() + "/artifacts/" + sha256);
            cli.print(client, answer, out -> out.println("deleted " + sha256));
        }
    }
}
