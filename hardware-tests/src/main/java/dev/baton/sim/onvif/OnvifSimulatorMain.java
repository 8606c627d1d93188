package dev.baton.sim.onvif;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs simulated ONVIF cameras until stopped, for the demo and for trying a real ONVIF client against them:
 * {@code OnvifSimulatorMain [--cameras N] [--interface lo] [--username U] [--password P] [--max-match-delay-ms D]}.
 * Prints one line per camera (UUID, device service, unicast WS-Discovery address, identity).
 */
public final class OnvifSimulatorMain {

    private OnvifSimulatorMain() {}

    public static void main(final String[] args) throws InterruptedException {
        int count = 3;
        final OnvifCameraSimulator.Builder builder = OnvifCameraSimulator.builder();
        String username = "admin";
        String password = "baton-sim";
        for (int i = 0; i < args.length; i++) {
            final String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--cameras" -> count = Integer.parseInt(required(args[i], value));
                case "--interface" -> builder.interfaceName(required(args[i], value));
                case "--username" -> username = required(args[i], value);
                case "--password" -> password = required(args[i], value);
                case "--max-match-delay-ms" -> builder.maxMatchDelay(
                        Duration.ofMillis(Long.parseLong(required(args[i], value))));
                case "--help", "-h" -> {
                    System.out.println("usage: OnvifSimulatorMain [--cameras N] [--interface lo] [--username U]"
                            + " [--password P] [--max-match-delay-ms D]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; try --help");
            }
            i++;
        }
        final OnvifCameraSimulator simulator =
                builder.credentials(username, password).cameras(count).start();
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            simulator.close();
                            stopped.countDown();
                        },
                        "onvif-sim-shutdown"));
        for (final SimulatedCamera camera : simulator.cameras()) {
            System.out.println(camera.spec().uuid() + " " + camera.deviceService() + " unicast="
                    + camera.unicastTarget()
                    + " (" + camera.spec().manufacturer() + " " + camera.spec().model() + ", serial "
                    + camera.spec().serialNumber() + ")");
        }
        System.out.println("Simulating " + count + " ONVIF cameras for user '" + username
                + "' (password as given with --password); stop with Ctrl-C.");
        System.out.flush();
        stopped.await();
    }

    private static String required(final String option, final String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }
}
