package dev.baton.adapters.container.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jetbrains.annotations.NotNull;
import org.junit.jupiter.api.Test;

/**
 * Version negotiation and the reading of engine answers that Podman does not produce (Docker 29's version range, an
 * error inside a pull stream). The same calls run against real Podman in {@code ContainerProviderPodmanTest}.
 */
class EngineApiTest {

    /** What Docker 29 answers to GET /version (abridged): it refuses API versions before 1.44. */
    private static final String DOCKER_29_VERSION =
            "{\"Version\":\"29.0.4\",\"ApiVersion\":\"1.52\",\"MinAPIVersion\":\"1.44\"}";

    /** What Podman 4.3 answers (abridged). */
    private static final String PODMAN_VERSION =
            "{\"Version\":\"4.3.1\",\"ApiVersion\":\"1.41\",\"MinAPIVersion\":\"1.24\"}";

    private final ScriptedEngine engine = new ScriptedEngine();
    private final EngineApi api = new EngineApi(engine);

    @Test
    void engineThatRefusesOldVersionsIsSpokenToAtItsOldestVersion() {
        engine.answer(200, DOCKER_29_VERSION);
        engine.answer(404, "{\"message\":\"No such container: baton-n_web\"}");

        assertThat(api.inspectContainer("baton-n_web")).isEmpty();

        assertThat(engine.requests).containsExactly("GET /version", "GET /v1.44/containers/baton-n_web/json");
    }

    @Test
    void engineThatServesThePreferredVersionIsSpokenToInIt() {
        engine.answer(200, PODMAN_VERSION);
        engine.answer(404, "{\"message\":\"no such image\"}");
        engine.answer(404, "{\"message\":\"no such image\"}");

        assertThat(api.imageExists("localhost/app:1")).isFalse();
        assertThat(api.imageExists("localhost/app:1")).isFalse();

        // Asked once, then kept.
        assertThat(engine.requests)
                .containsExactly(
                        "GET /version",
                        "GET /v1.41/images/localhost/app:1/json",
                        "GET /v1.41/images/localhost/app:1/json");
    }

    @Test
    void versionIsAskedAgainAfterTheEngineWasUnreachableBecauseItMayHaveBeenUpgraded() {
        engine.answer(200, PODMAN_VERSION);
        engine.answer(200, "{\"Id\":\"sha256:1\"}");
        engine.fail(() -> new EngineException(EngineException.Reason.UNREACHABLE, "no engine"));
        engine.answer(200, DOCKER_29_VERSION);
        engine.answer(200, "{\"Id\":\"sha256:1\"}");

        api.imageExists("app");
        assertThatThrownBy(() -> api.imageExists("app")).hasMessage("no engine");
        api.imageExists("app");

        assertThat(engine.requests)
                .containsExactly(
                        "GET /version",
                        "GET /v1.41/images/app/json",
                        "GET /v1.41/images/app/json",
                        "GET /version",
                        "GET /v1.44/images/app/json");
    }

    @Test
    void engineOlderThanTheNeededVersionIsRefusedSayingWhatToUpgradeTo() {
        assertThatThrownBy(() -> EngineApi.chooseVersion("1.40", "1.12"))
                .isInstanceOfSatisfying(
                        EngineException.class, e -> assertThat(e.reason()).isEqualTo(EngineException.Reason.REFUSED))
                .hasMessage("the engine serves Docker Engine API versions up to 1.40, older than the 1.41 the"
                        + " provider needs: upgrade it to Docker 20.10 or Podman 3 or later");
    }

    @Test
    void versionsCompareNumericallyAndUnreadableOnesFallBackToThePreferred() {
        assertThat(EngineApi.chooseVersion("1.52", "1.44")).isEqualTo("1.44");
        assertThat(EngineApi.chooseVersion("1.100", "1.9")).isEqualTo("1.41");
        assertThat(EngineApi.chooseVersion("", "")).isEqualTo("1.41");
        assertThat(EngineApi.chooseVersion("latest", "1.41/x")).isEqualTo("1.41");
    }

    @Test
    void errorInsideAPullStreamFailsThePullWithTheEnginesWords() {
        engine.answer(200, PODMAN_VERSION);
        engine.answer(
                200,
                "ing\":\"cut by the body limit\"}\n" // the tail kept by the limit starts mid-line
                        + "{\"status\":\"Pulling from team/app\",\"id\":\"1\"}\n"
                        + "{\"errorDetail\":{\"message\":\"manifest unknown\"},\"error\":\"manifest for"
                        + " registry.example.com/team/app:1 not found: manifest unknown\"}\n");

        assertThatThrownBy(() -> api.pullImage("registry.example.com/team/app", "1"))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.reason())
                        .isEqualTo(EngineException.Reason.ENGINE_FAILED))
                .hasMessage("manifest for registry.example.com/team/app:1 not found: manifest unknown");
        assertThat(engine.requests)
                .endsWith("POST /v1.41/images/create?fromImage=registry.example.com%2Fteam%2Fapp&tag=1");
    }

    @Test
    void pullStreamWithoutErrorSucceeds() {
        engine.answer(200, PODMAN_VERSION);
        engine.answer(200, "{\"status\":\"Pulling\"}\n{\"status\":\"Download complete\"}\n");

        api.pullImage("localhost/app", "sha256:0123456789abcdef0123456789abcdef");

        assertThat(engine.requests)
                .endsWith(
                        "POST /v1.41/images/create?fromImage=localhost%2Fapp&tag=sha256%3A0123456789abcdef0123456789abcdef");
    }

    @Test
    void refusalCarriesTheEnginesMessageAndStatus() {
        engine.answer(200, PODMAN_VERSION);
        engine.answer(409, "{\"message\":\"Conflict. The container name \\\"/baton-n_web\\\" is already in use\"}");

        assertThatThrownBy(() -> api.createContainer(
                        "baton-n_web", new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.reason()).isEqualTo(EngineException.Reason.CONFLICT);
                    assertThat(e.status()).isEqualTo(409);
                })
                .hasMessage("the engine could not create container baton-n_web (HTTP 409): Conflict. The container"
                        + " name \"/baton-n_web\" is already in use");
    }

    /** An engine that answers from a script and records what it was asked. */
    private static final class ScriptedEngine implements EngineTransport {

        final List<String> requests = new ArrayList<>();
        private final Deque<Supplier<HttpResponse>> answers = new ArrayDeque<>();

        void answer(final int status, final String body) {
            answers.add(() -> new HttpResponse(status, "", Map.of(), body.getBytes(StandardCharsets.UTF_8), false));
        }

        void fail(final Supplier<EngineException> failure) {
            answers.add(() -> {
                throw failure.get();
            });
        }

        @Override
        public @NotNull HttpResponse exchange(final @NotNull HttpRequest request) {
            requests.add(request.toString());
            if (answers.isEmpty()) {
                throw new AssertionError("unexpected request " + request);
            }
            return answers.poll().get();
        }

        @Override
        public @NotNull String describe() {
            return "scripted";
        }
    }
}
