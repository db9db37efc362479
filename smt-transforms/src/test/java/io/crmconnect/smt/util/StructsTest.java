package io.crmconnect.smt.util;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StructsTest {

    @Test
    void structsDirectWritesAreActiveAndReadBack() {
        assertThat(Structs.direct()).isEqualTo(!Boolean.getBoolean("crmconnect.smt.validatingPut"));
    }
}
