package dev.baton.adapters.container.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LogStreamTest {

    @Test
    void multiplexedFramesOfStdoutAndStderrAreJoinedInOrder() {
        final byte[] body = {
            1,
            0,
            0,
            0,
            0,
            0,
            0,
            3,
            'o',
            'u',
            't', // stdout, length 3
            2,
            0,
            0,
            0,
            0,
            0,
            0,
            4,
            'e',
            'r',
            'r',
            '\n', // stderr, length 4
            1,
            0,
            0,
            0,
            0,
            0,
            1,
            0 // stdout, length 256, of which nothing arrived (cut by the body limit)
        };

        assertThat(LogStream.decode(body)).isEqualTo("outerr\n");
    }

    @Test
    void frameCutShortByTheBodyLimitContributesWhatItHas() {
        final byte[] body = {1, 0, 0, 0, 0, 0, 0, 10, 'p', 'a', 'r', 't'}; // length 10, 4 bytes present

        assertThat(LogStream.decode(body)).isEqualTo("part");
    }

    @Test
    void outputOfATtyContainerIsRaw() {
        assertThat(LogStream.decode("plain text\n".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("plain text\n");
    }
}
