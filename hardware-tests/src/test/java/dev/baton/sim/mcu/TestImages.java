package dev.baton.sim.mcu;

import java.util.Random;

/** Deterministic pseudo-random images, so that a failure reproduces byte for byte. */
final class TestImages {

    private TestImages() {}

    static byte[] random(final int size, final long seed) {
        final byte[] image = new byte[size];
        new Random(seed).nextBytes(image);
        return image;
    }
}
