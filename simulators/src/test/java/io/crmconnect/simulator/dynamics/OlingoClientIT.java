package io.crmconnect.simulator.dynamics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.olingo.client.api.ODataClient;
import org.apache.olingo.client.api.communication.ODataClientErrorException;
import org.apache.olingo.client.api.communication.request.batch.BatchManager;
import org.apache.olingo.client.api.communication.request.batch.ODataBatchRequest;
import org.apache.olingo.client.api.communication.request.batch.ODataBatchResponseItem;
import org.apache.olingo.client.api.communication.request.batch.ODataChangeset;
import org.apache.olingo.client.api.communication.request.cud.ODataEntityCreateRequest;
import org.apache.olingo.client.api.communication.request.cud.ODataEntityUpdateRequest;
import org.apache.olingo.client.api.communication.request.cud.UpdateType;
import org.apache.olingo.client.api.communication.request.retrieve.EdmMetadataRequest;
import org.apache.olingo.client.api.communication.request.retrieve.ODataDeltaRequest;
import org.apache.olingo.client.api.communication.request.retrieve.ODataEntitySetRequest;
import org.apache.olingo.client.api.communication.response.ODataBatchResponse;
import org.apache.olingo.client.api.communication.response.ODataEntityCreateResponse;
import org.apache.olingo.client.api.communication.response.ODataResponse;
import org.apache.olingo.client.api.domain.ClientDeletedEntity;
import org.apache.olingo.client.api.domain.ClientDelta;
import org.apache.olingo.client.api.domain.ClientEntity;
import org.apache.olingo.client.api.domain.ClientEntitySet;
import org.apache.olingo.client.core.ODataClientFactory;
import org.apache.olingo.commons.api.edm.Edm;
import org.apache.olingo.commons.api.edm.EdmEntityType;
import org.apache.olingo.commons.api.edm.FullQualifiedName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Apache Olingo's OData v4 client (the client the public kafka-connect-dataverse connector uses against real
 * Dataverse), unchanged, pointed at the simulator: it must parse the CSDL, the paged and change-tracked entity sets,
 * delta responses with deleted entities, create/update responses, $batch responses and error bodies.
 */
class OlingoClientIT {
    static DynamicsSimulator sim;
    static ODataClient client;
    static String bearer;

    @BeforeAll
    static void start() {
        sim = DynamicsSimulator.builder().seed(13).contacts(120).accounts(12).start();
        client = ODataClientFactory.getClient();
        bearer = "Bearer " + new DvClient(sim).token;
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    static URI uri(String path) {
        return URI.create(sim.apiUrl() + "/" + path);
    }

    @Test
    void readsTheCsdl() {
        EdmMetadataRequest req = client.getRetrieveRequestFactory().getMetadataRequest(sim.apiUrl());
        req.addCustomHeader("Authorization", bearer);
        Edm edm = req.execute().getBody();
        EdmEntityType contact = edm.getEntityType(new FullQualifiedName("Microsoft.Dynamics.CRM", "contact"));
        assertThat(contact).isNotNull();
        assertThat(contact.getKeyPredicateNames()).containsExactly("contactid");
        assertThat(contact.getProperty("birthdate").getType().getName()).isEqualTo("Date");
        assertThat(contact.getNavigationProperty("parentcustomerid_account")
                        .getType()
                        .getName())
                .isEqualTo("account");
        assertThat(edm.getEntityContainer().getEntitySet("crmc_projects")).isNotNull();
    }

    @Test
    void pagesAndTracksChanges() {
        List<ClientEntity> rows = new ArrayList<>();
        URI next = uri("contacts?$select=fullname,emailaddress1");
        URI delta = null;
        String prefer = client.newPreferences().trackChanges() + ","
                + client.newPreferences().maxPageSize(50);
        while (next != null) {
            ODataEntitySetRequest<ClientEntitySet> req =
                    client.getRetrieveRequestFactory().getEntitySetRequest(next);
            req.setPrefer(prefer);
            req.addCustomHeader("Authorization", bearer);
            ClientEntitySet page = req.execute().getBody();
            rows.addAll(page.getEntities());
            next = page.getNext();
            if (next == null) {
                delta = page.getDeltaLink();
            } else {
                assertThat(page.getDeltaLink()).isNull();
            }
        }
        assertThat(rows).hasSize(120);
        Set<String> ids = new HashSet<>();
        for (ClientEntity e : rows) {
            ids.add(e.getProperty("contactid").getPrimitiveValue().toString());
            assertThat(e.getETag()).startsWith("W/\"");
        }
        assertThat(ids).hasSize(120);
        assertThat(delta).isNotNull();

        List<String> all = sim.ids("contact");
        sim.update("contact", all.get(5), Map.of("jobtitle", "Changed"));
        sim.delete("contact", all.get(6));
        ODataDeltaRequest dr = client.getRetrieveRequestFactory().getDeltaRequest(delta);
        dr.setPrefer(client.newPreferences().trackChanges());
        dr.addCustomHeader("Authorization", bearer);
        ClientDelta d = dr.execute().getBody();
        assertThat(d.getEntities()).hasSize(1);
        assertThat(d.getEntities()
                        .get(0)
                        .getProperty("contactid")
                        .getPrimitiveValue()
                        .toString())
                .isEqualTo(all.get(5));
        List<ClientDeletedEntity> deleted = d.getDeletedEntities();
        assertThat(deleted).hasSize(1);
        // Dataverse writes the bare GUID as "id"; Olingo resolves it against the service root
        assertThat(deleted.get(0).getId().toString()).endsWith("/" + all.get(6));
        assertThat(d.getDeltaLink()).isNotNull();
    }

    @Test
    void createsUpdatesAndReadsErrors() {
        ClientEntity account =
                client.getObjectFactory().newEntity(new FullQualifiedName("Microsoft.Dynamics.CRM", "account"));
        account.getProperties()
                .add(client.getObjectFactory()
                        .newPrimitiveProperty(
                                "name",
                                client.getObjectFactory()
                                        .newPrimitiveValueBuilder()
                                        .buildString("Olingo Ltd")));
        account.getProperties()
                .add(client.getObjectFactory()
                        .newPrimitiveProperty(
                                "accountnumber",
                                client.getObjectFactory()
                                        .newPrimitiveValueBuilder()
                                        .buildString("OL-1")));
        ODataEntityCreateRequest<ClientEntity> create =
                client.getCUDRequestFactory().getEntityCreateRequest(uri("accounts"), account);
        create.setPrefer(client.newPreferences().returnRepresentation());
        create.addCustomHeader("Authorization", bearer);
        ODataEntityCreateResponse<ClientEntity> created = create.execute();
        assertThat(created.getStatusCode()).isEqualTo(201);
        ClientEntity body = created.getBody();
        String id = body.getProperty("accountid").getPrimitiveValue().toString();
        assertThat(body.getProperty("name").getPrimitiveValue().toString()).isEqualTo("Olingo Ltd");

        ClientEntity patch =
                client.getObjectFactory().newEntity(new FullQualifiedName("Microsoft.Dynamics.CRM", "account"));
        patch.getProperties()
                .add(client.getObjectFactory()
                        .newPrimitiveProperty(
                                "telephone1",
                                client.getObjectFactory()
                                        .newPrimitiveValueBuilder()
                                        .buildString("555-0199")));
        ODataEntityUpdateRequest<ClientEntity> update = client.getCUDRequestFactory()
                .getEntityUpdateRequest(uri("accounts(" + id + ")"), UpdateType.PATCH, patch);
        update.setIfMatch(body.getETag());
        update.addCustomHeader("Authorization", bearer);
        assertThat(update.execute().getStatusCode()).isEqualTo(204);
        assertThat(sim.row("account", id).get("telephone1")).isEqualTo("555-0199");

        ODataEntityUpdateRequest<ClientEntity> stale = client.getCUDRequestFactory()
                .getEntityUpdateRequest(uri("accounts(" + id + ")"), UpdateType.PATCH, patch);
        stale.setIfMatch(body.getETag());
        stale.addCustomHeader("Authorization", bearer);
        ODataClientErrorException e = catchThrowableOfType(ODataClientErrorException.class, stale::execute);
        assertThat(e.getStatusLine().getStatusCode()).isEqualTo(412);
        assertThat(e.getODataError().getCode()).isEqualTo("0x80060882");
        assertThat(e.getODataError().getMessage()).contains("RowVersion");
    }

    @Test
    void batchWithAChangeSet() {
        ODataChangeset cs;
        ODataBatchRequest request = client.getBatchRequestFactory().getBatchRequest(sim.apiUrl());
        request.addCustomHeader("Authorization", bearer);
        BatchManager batch = request.payloadManager();
        cs = batch.addChangeset();
        for (int i = 1; i <= 2; i++) {
            ClientEntity a =
                    client.getObjectFactory().newEntity(new FullQualifiedName("Microsoft.Dynamics.CRM", "account"));
            a.getProperties()
                    .add(client.getObjectFactory()
                            .newPrimitiveProperty(
                                    "name",
                                    client.getObjectFactory()
                                            .newPrimitiveValueBuilder()
                                            .buildString("Batch " + i)));
            cs.addRequest(client.getCUDRequestFactory().getEntityCreateRequest(uri("accounts"), a));
        }
        int before = sim.counts().get("account");
        ODataBatchResponse resp = batch.getResponse();
        assertThat(resp.getStatusCode()).isEqualTo(200);
        int items = 0;
        for (Iterator<ODataBatchResponseItem> it = resp.getBody(); it.hasNext(); ) {
            ODataBatchResponseItem item = it.next();
            while (item.hasNext()) {
                ODataResponse r = item.next();
                assertThat(r.getStatusCode()).isEqualTo(204);
                items++;
            }
        }
        assertThat(items).isEqualTo(2);
        assertThat(sim.counts().get("account")).isEqualTo(before + 2);
    }
}
