package io.crmconnect.common.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskConfigsTest {
    private static final Map<String, String> PROPS = Map.of("name", "c");

    @Test
    void copiesCarryTheTaskCount() {
        List<Map<String, String>> tasks = TaskConfigs.copies(PROPS, 3, "task.count");
        assertEquals(3, tasks.size());
        assertEquals(Map.of("name", "c", "task.count", "3"), tasks.get(2));
        assertFalse(TaskConfigs.copies(PROPS, 2, null).get(0).containsKey("task.count"));
    }

    @Test
    void itemsAreDealtRoundRobinOverAtMostOneTaskPerItem() {
        List<Map<String, String>> tasks = TaskConfigs.roundRobin(PROPS, List.of("a", "b", "c", "d", "e"), 2, "t", "n");
        assertEquals(
                List.of("a,c,e", "b,d"), tasks.stream().map(m -> m.get("t")).toList());
        assertEquals("2", tasks.get(1).get("n"));

        List<Map<String, String>> fewer = TaskConfigs.roundRobin(PROPS, List.of("a", "b"), 8, "t", "n");
        assertEquals(List.of("a", "b"), fewer.stream().map(m -> m.get("t")).toList());
        assertEquals("2", fewer.get(0).get("n"));
    }

    @Test
    void noItemsStillGivesOneIdleTask() {
        List<Map<String, String>> tasks = TaskConfigs.roundRobin(PROPS, List.of(), 4, "t", null);
        assertEquals(1, tasks.size());
        assertEquals("", tasks.get(0).get("t"));
        assertFalse(tasks.get(0).containsKey("n"));
    }
}
