package io.github.sqlitebackup.security;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An application with its own security for its own routes, plus the README's chain for
 * the actuator endpoints.
 */
@SpringBootApplication
@Import(BackupEndpointSecurity.class)
class SecuredApplication {

	@Bean
	@Order(2)
	SecurityFilterChain applicationSecurity(HttpSecurity http) throws Exception {
		return http
			.authorizeHttpRequests((requests) -> requests.requestMatchers("/hello").permitAll().anyRequest().authenticated())
			.httpBasic(Customizer.withDefaults())
			.build();
	}

	@Bean
	InMemoryUserDetailsManager users() {
		return new InMemoryUserDetailsManager(
				User.withUsername("operator").password("{noop}op-secret").roles("BACKUP_ADMIN").build(),
				User.withUsername("monitor").password("{noop}mon-secret").roles("ACTUATOR").build());
	}

	@RestController
	static class Routes {

		@GetMapping("/hello")
		String hello() {
			return "hello";
		}

		@GetMapping("/private")
		String secret() {
			return "private";
		}

	}

}
