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
                if (type.isAssignableFrom(c) && !c.isInterface() && !Modifier.isAbstract(c.getModifiers())
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
        assertThat(listed(Transformation.class)).isEqualTo(concrete(Transformation.class)).hasSize(8);
        assertThat(listed(Predicate.class)).isEqualTo(concrete(Predicate.class)).hasSize(7);
    }

    @Test
    void everyPluginHasAPublicNoArgConstructorAndAConfigDef() throws Exception {
        for (String name : listed(Transformation.class)) {
            Transformation<?> t = (Transformation<?>) Class.forName(name).getDeclaredConstructor().newInstance();
            assertThat(t.config().names()).as(name).isNotEmpty();
        }
        for (String name : listed(Predicate.class)) {
            Predicate<?> p = (Predicate<?>) Class.forName(name).getDeclaredConstructor().newInstance();
            assertThat(p.config().names()).as(name).isNotEmpty();
        }
    }
}
