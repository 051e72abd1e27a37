package io.github.sqlitebackup.actuate;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

import io.github.sqlitebackup.catalog.BackupNames;

/**
 * Names downloads of the {@code sqlitebackup} endpoint: {@code GET .../{name}/file} is an
 * attachment called {@code <name>} (so {@code curl -OJ} and browsers save it under the
 * backup's name), and {@code GET .../{name}} is shown inline. Without it Spring MVC marks
 * the manifest, whose URL ends in {@code .db}, as {@code inline;filename=f.txt}.
 */
public class EndpointContentDispositionFilter extends OncePerRequestFilter {

	private final String endpointPath;

	/**
	 * Create the filter.
	 * @param endpointPath the endpoint's path as the filter is mapped to it, e.g.
	 * {@code /actuator/sqlitebackup}
	 */
	public EndpointContentDispositionFilter(String endpointPath) {
		this.endpointPath = endpointPath;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if ("GET".equals(request.getMethod())) {
			String path = request.getServletPath() + ((request.getPathInfo() != null) ? request.getPathInfo() : "");
			if (path.startsWith(this.endpointPath + "/")) {
				String[] parts = path.substring(this.endpointPath.length() + 1).split("/", -1);
				if (parts.length == 2 && "file".equals(parts[1]) && BackupNames.isBackupName(parts[0])) {
					response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
							ContentDisposition.attachment().filename(parts[0]).build().toString());
				}
				else if (parts.length == 1) {
					response.setHeader(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.inline().build().toString());
				}
			}
		}
		chain.doFilter(request, response);
	}

}
