package io.github.sqlitebackup.actuate;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A web application with the starter's auto-configuration, for the endpoint tests.
 */
@SpringBootApplication
class EndpointTestApplication {

}
