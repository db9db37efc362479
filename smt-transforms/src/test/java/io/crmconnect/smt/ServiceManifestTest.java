package io.crmconnect.smt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.predicates.Predicate;
import org.junit.jupiter.api.Test;

/** The service files list exactly the concrete plugin classes that exist (plugin.discovery=service_load). */
class ServiceManifestTest {
    static final Path CLASSES = Path.of("target/classes");

    static Set<String> concrete(Class<?> type) throws IOException, ClassNotFoundException {
        Set<String> found = new TreeSet<>();
        try (Stream<Path> files = Files.walk(CLASSES)) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                String name = CLASSES.relativize(p).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> c = Class.forName(name, false, ServiceManifestTest.class.getClassLoader());
                if (type.isAssignableFrom(c)
                        && !c.isInterface()
                        && !Modifier.isAbstract(c.getModifiers())
                        && Modifier.isPublic(c.getModifiers())) {
                    found.add(name);
                }
            }
        }
        return found;
    }

    static Set<String> listed(Class<?> type) throws IOException {
        Set<String> names = new TreeSet<>();
        for (String line : Files.readAllLines(CLASSES.resolve("META-INF/services/" + type.getName()))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.trim());
            }
        }
        return names;
    }

    @Test
    void servicesListEveryTransformAndPredicate() throws Exception {
        assertThat(listed(Transformation.class))
                .isEqualTo(concrete(Transformation.class))
                .hasSize(8);
        assertThat(listed(Predicate.class)).isEqualTo(concrete(Predicate.class)).hasSize(7);
    }

    @Test
    void everyPluginHasAPublicNoArgConstructorAndADocumentedConfigDef() throws Exception {
        for (String name : listed(Transformation.class)) {
            Transformation<?> t = (Transformation<?>)
                    Class.forName(name).getDeclaredConstructor().newInstance();
            checkDocumented(name, t.config());
            assertThat(Class.forName(name)
                            .getSuperclass()
                            .getField("OVERVIEW_DOC")
                            .get(null))
                    .as(name)
                    .isNotNull();
        }
        for (String name : listed(Predicate.class)) {
            Predicate<?> p =
                    (Predicate<?>) Class.forName(name).getDeclaredConstructor().newInstance();
            checkDocumented(name, p.config());
        }
    }

    /** Every key documented; validators render readably in generated docs (no lambda or Object.toString). */
    static void checkDocumented(String plugin, org.apache.kafka.common.config.ConfigDef def) {
        assertThat(def.names()).as(plugin).isNotEmpty();
        for (org.apache.kafka.common.config.ConfigDef.ConfigKey key :
                def.configKeys().values()) {
            assertThat(key.documentation).as(plugin + " " + key.name).isNotBlank();
            if (key.validator != null) {
                assertThat(key.validator.toString())
                        .as(plugin + " " + key.name)
                        .doesNotContain("$$Lambda")
                        .doesNotContainPattern("@[0-9a-f]{4,}$");
            }
        }
    }
}
