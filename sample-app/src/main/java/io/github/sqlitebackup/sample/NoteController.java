package io.github.sqlitebackup.sample;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Create and list notes.
 */
@RestController
@RequestMapping("/notes")
class NoteController {

	private final JdbcClient jdbc;

	NoteController(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@GetMapping
	List<Note> list() {
		return this.jdbc.sql("SELECT id, text FROM note ORDER BY id").query(Note.class).list();
	}

	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	Note create(@RequestBody NewNote note) {
		long id = this.jdbc.sql("INSERT INTO note (text) VALUES (?) RETURNING id")
			.param(note.text())
			.query(Long.class)
			.single();
		return new Note(id, note.text());
	}

	record Note(long id, String text) {
	}

	record NewNote(String text) {
	}

}
