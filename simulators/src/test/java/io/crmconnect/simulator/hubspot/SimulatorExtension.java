package io.crmconnect.simulator.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmconnect.simulator.hubspot.contract.Violation;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One simulator per test class, and HubSpot's contract checked after every test:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final SimulatorExtension SIM = new SimulatorExtension(b -> b.seed(7).contacts(250).rateLimits(false));
 * @SimulatorExtension.Inject
 * static HubSpotSimulator sim;   // set before the class's @BeforeAll methods run
 * @SimulatorExtension.Inject
 * static SimClient c;            // the default token; checks every response against the specs
 * }</pre>
 *
 * <p>Before all tests it starts the simulator and sets the test class's static fields marked {@link Inject} (of
 * type {@link HubSpotSimulator} or {@link SimClient}); after each test (after the class's own {@code @AfterEach})
 * it fails the test when a response broke HubSpot's OpenAPI contract; after all tests it closes the simulator.
 */
final class SimulatorExtension implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    /** Marks a static field the extension sets: the simulator or the contract-checking client. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    @interface Inject {}

    private final UnaryOperator<HubSpotSimulatorBuilder> config;
    private HubSpotSimulator sim;
    private SimClient client;

    SimulatorExtension(UnaryOperator<HubSpotSimulatorBuilder> config) {
        this.config = config;
    }

    HubSpotSimulator sim() {
        return sim;
    }

    SimClient client() {
        return client;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IllegalAccessException {
        sim = config.apply(HubSpotSimulator.builder()).start();
        client = new SimClient(sim);
        for (Field f : context.getRequiredTestClass().getDeclaredFields()) {
            if (!f.isAnnotationPresent(Inject.class)) {
                continue;
            }
            if (!Modifier.isStatic(f.getModifiers()) || Modifier.isFinal(f.getModifiers())) {
                throw new IllegalStateException("@Inject field " + f.getName() + " must be static and not final");
            }
            f.setAccessible(true);
            if (f.getType() == HubSpotSimulator.class) {
                f.set(null, sim);
            } else if (f.getType() == SimClient.class) {
                f.set(null, client);
            } else {
                throw new IllegalStateException(
                        "@Inject field " + f.getName() + " must be a HubSpotSimulator or a" + " SimClient");
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<Violation> v = new ArrayList<>(client.violations());
        client.clearViolations();
        assertThat(v).as("responses that break HubSpot's OpenAPI contract").isEmpty();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (sim != null) {
            sim.close();
        }
    }
}
