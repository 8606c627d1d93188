package dev.baton.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TextsTest {

    @Test
    void textWithinTheLimitIsReturnedUnchanged() {
        assertThat(Texts.truncate("abc", 3)).isEqualTo("abc");
        assertThat(Texts.truncate("", 1)).isEmpty();
    }

    @Test
    void longerTextIsCutAndEndsWithAnEllipsisWithinTheLimit() {
        assertThat(Texts.truncate("abcdef", 4)).isEqualTo("abc…");
        assertThat(Texts.truncate("abcdef", 2)).isEqualTo("a…");
    }

    @Test
    void aLimitOfOneLeavesOnlyTheEllipsis() {
        assertThat(Texts.truncate("abc", 1)).isEqualTo("…");
        assertThat(Texts.truncate("a", 1)).isEqualTo("a");
    }

    @Test
    void aSurrogatePairIsNeverSplit() {
        // "a😀b": the emoji is two chars; a cut after its high surrogate would leave half a character.
        assertThat(Texts.truncate("a\ud83d\ude00b", 3)).isEqualTo("a…");
        assertThat(Texts.truncate("\ud83d\ude00b", 2)).isEqualTo("…");
    }

    @Test
    void aLimitBelowOneIsRefused() {
        assertThatThrownBy(() -> Texts.truncate("abc", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxChars must be at least 1, room for '…', but was 0");
        assertThatThrownBy(() -> Texts.truncate("", -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
