package dev.baton.protocol;

/**
 * Whether and when the agent returns a node to its last fully healthy generation.
 *
 * <p>When a component of a new generation has failed {@code afterFailures} times in a row (its first apply and the
 * retries after it, health gate included), the agent applies the components of the last generation in which every
 * component was healthy, reports them {@code rolled-back}, removes those the failed generation added, and ignores
 * the failed generation from then on: only a newer one is applied. A generation that never became fully healthy is
 * never a rollback target, so the agent cannot loop between two bad generations.
 *
 * @param afterFailures 1–20
 */
public record RollbackPolicy(int afterFailures) {}
