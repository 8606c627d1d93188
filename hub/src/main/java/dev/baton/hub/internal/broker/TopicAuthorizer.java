package dev.baton.hub.internal.broker;

import com.hivemq.extension.sdk.api.auth.PublishAuthorizer;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerOutput;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import dev.baton.protocol.Names;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link TopicPolicy} to every PUBLISH, Will and SUBSCRIBE. A refused PUBLISH gets PUBACK reason code Not
 * authorized (0x87, MQTT 5 section 3.4.2.1), after which HiveMQ disconnects the client (DISCONNECT 0x87); a refused
 * Will makes the CONNACK Not authorized; a refused SUBSCRIBE gets that code in its SUBACK (section 3.9.3) and the
 * client stays connected. Each refusal is logged at WARN with client and topic.
 *
 * <p>Stateless and thread-safe; one instance serves every client.
 */
final class TopicAuthorizer implements PublishAuthorizer, SubscriptionAuthorizer {

    private static final Logger log = LoggerFactory.getLogger(TopicAuthorizer.class);

    private final TopicPolicy policy;

    TopicAuthorizer(final @NotNull TopicPolicy policy) {
        this.policy = policy;
    }

    @Override
    public void authorizePublish(
            final @NotNull PublishAuthorizerInput input, final @NotNull PublishAuthorizerOutput output) {
        final String clientId = input.getClientInformation().getClientId();
        final String topic = input.getPublishPacket().getTopic();
        if (policy.mayPublish(clientId, topic)) {
            output.authorizeSuccessfully();
            return;
        }
        log.warn(
                "refused PUBLISH of client '{}' to '{}': not its topic",
                Names.printable(clientId),
                Names.printable(topic));
        output.failAuthorization(AckReasonCode.NOT_AUTHORIZED, "not authorized to publish to " + topic);
    }

    @Override
    public void authorizeSubscribe(
            final @NotNull SubscriptionAuthorizerInput input, final @NotNull SubscriptionAuthorizerOutput output) {
        final String clientId = input.getClientInformation().getClientId();
        final String filter = input.getSubscription().getTopicFilter();
        if (policy.maySubscribe(clientId, filter)) {
            output.authorizeSuccessfully();
            return;
        }
        log.warn(
                "refused SUBSCRIBE of client '{}' to '{}': not its topic",
                Names.printable(clientId),
                Names.printable(filter));
        output.failAuthorization(SubackReasonCode.NOT_AUTHORIZED, "not authorized to subscribe to " + filter);
    }
}
