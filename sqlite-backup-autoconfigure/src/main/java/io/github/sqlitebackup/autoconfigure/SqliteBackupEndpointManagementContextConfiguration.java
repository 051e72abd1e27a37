package io.github.sqlitebackup.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;

import io.github.sqlitebackup.actuate.EndpointContentDispositionFilter;
import io.github.sqlitebackup.actuate.EndpointRequestBodyFilter;
import io.github.sqlitebackup.actuate.SqliteBackupEndpoint;

/**
 * Management-context configuration that guards the {@code sqlitebackup} endpoint of a
 * servlet application with an {@link EndpointRequestBodyFilter}, on the management
 * server wherever it runs (the application's server, or its own port).
 */
@ManagementContextConfiguration(value = ManagementContextType.ANY, proxyBeanMethods = false)
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass(name = "jakarta.servlet.Filter")
@ConditionalOnAvailableEndpoint(SqliteBackupEndpoint.class)
public class SqliteBackupEndpointManagementContextConfiguration {

	@Bean
	FilterRegistrationBean<EndpointRequestBodyFilter> sqliteBackupEndpointRequestBodyFilter(
			ObjectProvider<PathMappedEndpoints> endpoints) {
		FilterRegistrationBean<EndpointRequestBodyFilter> registration = new FilterRegistrationBean<>(
				new EndpointRequestBodyFilter());
		String path = endpointPath(endpoints);
		if (path == null) {
			registration.setEnabled(false);
		}
		else {
			registration.addUrlPatterns(path, path + "/*");
		}
		return registration;
	}

	@Bean
	FilterRegistrationBean<EndpointContentDispositionFilter> sqliteBackupEndpointContentDispositionFilter(
			ObjectProvider<PathMappedEndpoints> endpoints) {
		String path = endpointPath(endpoints);
		FilterRegistrationBean<EndpointContentDispositionFilter> registration = new FilterRegistrationBean<>(
				new EndpointContentDispositionFilter((path != null) ? path : ""));
		if (path == null) {
			registration.setEnabled(false);
		}
		else {
			registration.addUrlPatterns(path + "/*");
		}
		return registration;
	}

	private static @Nullable String endpointPath(ObjectProvider<PathMappedEndpoints> endpoints) {
		PathMappedEndpoints mapped = endpoints.getIfAvailable();
		return (mapped != null) ? mapped.getPath(EndpointId.of("sqlitebackup")) : null;
	}

}
