/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The prompt window under a real X server: pages per program, the answer
 * built from the widgets, the countdown, Escape, mnemonics, closing, and the
 * non-blocking host-name lookup. Starts its own Xvfb when one is installed;
 * without Xvfb and without $DISPLAY the tests are skipped.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <gtk/gtk.h>

#include "prompt-page.h"
#include "prompt-window.h"
#include "queue.h"

#include "test-applet-xvfb.h"
#include "test-wait.h"

static gboolean have_display;

/* A resolver that answers every reverse lookup with a fixed name, later. */
typedef struct {
	GResolver parent_instance;
} FakeResolver;
typedef struct {
	GResolverClass parent_class;
} FakeResolverClass;

static GType fake_resolver_get_type(void);
G_DEFINE_TYPE(FakeResolver, fake_resolver, G_TYPE_RESOLVER)

static gboolean fake_reply(gpointer data)
{
	GTask *task = data;

	g_task_return_pointer(task, g_strdup("host.test.example"), g_free);
	g_object_unref(task);
	return G_SOURCE_REMOVE;
}

static void fake_lookup_by_address_async(GResolver *resolver,
					 GInetAddress *address,
					 GCancellable *cancellable,
					 GAsyncReadyCallback callback,
					 gpointer data)
{
	GTask *task = g_task_new(resolver, cancellable, callback, data);

	g_timeout_add(50, fake_reply, task);
}

static char *fake_lookup_by_address_finish(GResolver *resolver,
					   GAsyncResult *result, GError **error)
{
	return g_task_propagate_pointer(G_TASK(result), error);
}

static void fake_resolver_class_init(FakeResolverClass *klass)
{
	GResolverClass *rc = G_RESOLVER_CLASS(klass);

	rc->lookup_by_address_async = fake_lookup_by_address_async;
	rc->lookup_by_address_finish = fake_lookup_by_address_finish;
}

static void fake_resolver_init(FakeResolver *self)
{
}

typedef struct {
	E7PromptQueue *queue;
	GtkWidget *window;
	GArray *ids;
	GArray *answers; /* E7Answer, zeroed for dismissed requests */
	GArray *dismissed; /* gboolean */
	guint timed_out;
	gint timed_out_action;
	gboolean mapped;
	gint64 added_us;
	gint64 mapped_us;
} Fixture;

static void on_resolved(E7PromptQueue *q, guint64 id, const E7Answer *answer,
			Fixture *f)
{
	E7Answer copy = { 0 };
	gboolean dismissed = answer == NULL;

	if (answer)
		copy = *answer;
	g_array_append_val(f->ids, id);
	g_array_append_val(f->answers, copy);
	g_array_append_val(f->dismissed, dismissed);
}

static void on_timed_out(E7PromptWindow *w, E7Request *r, gint action,
			 Fixture *f)
{
	f->timed_out++;
	f->timed_out_action = action;
}

static gboolean on_map(GtkWidget *w, GdkEvent *event, Fixture *f)
{
	if (!f->mapped)
		f->mapped_us = g_get_monotonic_time();
	f->mapped = TRUE;
	return GDK_EVENT_PROPAGATE;
}

static void setup(Fixture *f, gconstpointer data)
{
	if (!have_display) {
		g_test_skip("no X server (install Xvfb)");
		return;
	}
	f->queue = e7_prompt_queue_new();
	f->ids = g_array_new(FALSE, FALSE, sizeof(guint64));
	f->answers = g_array_new(FALSE, FALSE, sizeof(E7Answer));
	f->dismissed = g_array_new(FALSE, FALSE, sizeof(gboolean));
	g_signal_connect(f->queue, "resolved", G_CALLBACK(on_resolved), f);
	f->window = e7_prompt_window_new(f->queue);
	g_signal_connect(f->window, "timed-out", G_CALLBACK(on_timed_out), f);
	g_signal_connect(f->window, "map-event", G_CALLBACK(on_map), f);
}

static void teardown(Fixture *f, gconstpointer data)
{
	if (!have_display)
		return;
	gtk_widget_destroy(f->window);
	g_object_unref(f->queue);
	g_array_unref(f->ids);
	g_array_unref(f->answers);
	g_array_unref(f->dismissed);
}

static void add_full(Fixture *f, guint64 id, const char *program, guint timeout,
		     const char *default_action, const char *desktop_id)
{
	GVariantBuilder b;
	g_autoptr(GVariant) v = NULL;
	g_autoptr(E7Request) r = NULL;

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "id", g_variant_new_uint64(id));
	g_variant_builder_add(&b, "{sv}", "program",
			      g_variant_new_string(program));
	g_variant_builder_add(&b, "{sv}", "pid",
			      g_variant_new_uint32(1000 + (guint32)id));
	g_variant_builder_add(&b, "{sv}", "cmdline",
			      g_variant_new_string(program));
	g_variant_builder_add(&b, "{sv}", "uid", g_variant_new_uint32(1500));
	g_variant_builder_add(&b, "{sv}", "user",
			      g_variant_new_string("e7test"));
	g_variant_builder_add(&b, "{sv}", "protocol",
			      g_variant_new_string("tcp"));
	g_variant_builder_add(&b, "{sv}", "remote-address",
			      g_variant_new_string("198.18.1.2"));
	g_variant_builder_add(&b, "{sv}", "remote-port",
			      g_variant_new_uint16(443));
	if (timeout)
		g_variant_builder_add(&b, "{sv}", "timeout",
				      g_variant_new_uint32(timeout));
	if (default_action)
		g_variant_builder_add(&b, "{sv}", "default-action",
				      g_variant_new_string(default_action));
	if (desktop_id)
		g_variant_builder_add(&b, "{sv}", "desktop-id",
				      g_variant_new_string(desktop_id));
	v = g_variant_ref_sink(g_variant_builder_end(&b));
	r = e7_request_new_from_variant(v, NULL);
	g_assert_nonnull(r);
	if (!f->added_us)
		f->added_us = g_get_monotonic_time();
	e7_prompt_queue_add(f->queue, r);
}

static void add(Fixture *f, guint64 id, const char *program, guint timeout,
		const char *default_action)
{
	add_full(f, id, program, timeout, default_action, NULL);
}

static GtkWidget *child(GtkWidget *page, const char *name)
{
	GObject *o =
		gtk_widget_get_template_child(page, E7_TYPE_PROMPT_PAGE, name);

	g_assert_nonnull(o);
	return GTK_WIDGET(o);
}

static E7PromptWindow *win(Fixture *f)
{
	return E7_PROMPT_WINDOW(f->window);
}

static void test_pages(Fixture *f, gconstpointer data)
{
	GtkWidget *page;
	GtkNotebook *notebook;
	const char *tab;

	if (!have_display)
		return;
	add(f, 1, "/usr/bin/curl", 0, NULL);
	add(f, 2, "/usr/bin/wget", 0, NULL);
	add(f, 3, "/usr/bin/curl", 0, NULL);
	g_assert_cmpuint(e7_prompt_window_get_n_pages(win(f)), ==, 2);
	g_assert_true(gtk_widget_get_visible(f->window));
	WAIT_FOR(f->mapped);
	g_test_message("time from the request to the mapped window: %.1f ms",
		       (double)(f->mapped_us - f->added_us) / 1000.0);

	page = e7_prompt_window_get_page(win(f), 0);
	notebook = GTK_NOTEBOOK(gtk_widget_get_parent(page));
	g_assert_true(gtk_notebook_get_show_tabs(notebook));
	tab = gtk_notebook_get_tab_label_text(notebook, page);
	g_assert_cmpstr(tab, ==, "curl (2)");
	g_assert_true(gtk_widget_get_visible(child(page, "more")));
	g_assert_cmpstr(gtk_label_get_text(GTK_LABEL(child(page, "program"))),
			==, "/usr/bin/curl");
	g_assert_cmpstr(gtk_label_get_text(GTK_LABEL(child(page, "user"))), ==,
			"e7test (uid 1500)");
	g_assert_cmpstr(
		gtk_label_get_text(GTK_LABEL(child(page, "connection"))), ==,
		"TCP port 443, outgoing");
	g_assert_cmpstr(
		gtk_button_get_label(GTK_BUTTON(child(page, "scope_port"))), ==,
		"Only this _port (TCP 443)");
	/* No timeout: no countdown. */
	g_assert_false(gtk_widget_get_visible(child(page, "countdown_label")));
	g_assert_cmpuint(f->ids->len, ==, 0);
}

static void test_allow_with_choice(Fixture *f, gconstpointer data)
{
	GtkWidget *page;
	E7Answer *a;

	if (!have_display)
		return;
	add(f, 1, "/usr/bin/curl", 0, NULL);
	add(f, 2, "/usr/bin/wget", 0, NULL);
	add(f, 3, "/usr/bin/curl", 0, NULL);
	page = e7_prompt_window_get_page(win(f), 0);
	gtk_toggle_button_set_active(
		GTK_TOGGLE_BUTTON(child(page, "scope_destination")), TRUE);
	gtk_combo_box_set_active_id(GTK_COMBO_BOX(child(page, "lifetime")),
				    "forever");
	gtk_button_clicked(GTK_BUTTON(child(page, "allow_button")));

	g_assert_cmpuint(f->ids->len, ==, 2);
	g_assert_cmpuint(g_array_index(f->ids, guint64, 0), ==, 1);
	g_assert_cmpuint(g_array_index(f->ids, guint64, 1), ==, 3);
	for (guint i = 0; i < 2; i++) {
		a = &g_array_index(f->answers, E7Answer, i);
		g_assert_cmpint(a->action, ==, E7_ACTION_ALLOW);
		g_assert_cmpint(a->scope, ==, E7_SCOPE_DESTINATION);
		g_assert_cmpint(a->lifetime, ==, E7_LIFETIME_FOREVER);
	}
	g_assert_cmpuint(e7_prompt_window_get_n_pages(win(f)), ==, 1);
	g_assert_true(gtk_widget_get_visible(f->window));

	/* The wget page: port scope, for one hour, blocked. */
	page = e7_prompt_window_get_page(win(f), 0);
	gtk_toggle_button_set_active(
		GTK_TOGGLE_BUTTON(child(page, "scope_port")), TRUE);
	gtk_combo_box_set_active_id(GTK_COMBO_BOX(child(page, "lifetime")),
				    "3600");
	gtk_button_clicked(GTK_BUTTON(child(page, "block_button")));
	g_assert_cmpuint(f->ids->len, ==, 3);
	a = &g_array_index(f->answers, E7Answer, 2);
	g_assert_cmpint(a->action, ==, E7_ACTION_BLOCK);
	g_assert_cmpint(a->scope, ==, E7_SCOPE_PORT);
	g_assert_cmpint(a->lifetime, ==, E7_LIFETIME_SECONDS);
	g_assert_cmpuint(a->duration, ==, 3600);
	g_assert_cmpuint(e7_prompt_window_get_n_pages(win(f)), ==, 0);
	g_assert_false(gtk_widget_get_visible(f->window));
}

static void test_countdown(Fixture *f, gconstpointer data)
{
	GtkWidget *page;
	E7Answer *a;
	const char *text;

	if (!have_display)
		return;
	add(f, 1, "/usr/bin/curl", 1, "allow");
	page = e7_prompt_window_get_page(win(f), 0);
	g_assert_true(e7_prompt_page_is_counting_down(E7_PROMPT_PAGE(page)));
	text = gtk_label_get_text(GTK_LABEL(child(page, "countdown_label")));
	g_assert_cmpstr(text, ==,
			"Allowing once in 1 second unless you answer.");
	WAIT_FOR(f->ids->len == 1);
	g_assert_cmpint(g_get_monotonic_time() - f->added_us, >=,
			G_USEC_PER_SEC);
	g_assert_false(g_array_index(f->dismissed, gboolean, 0));
	a = &g_array_index(f->answers, E7Answer, 0);
	g_assert_cmpint(a->action, ==, E7_ACTION_ALLOW);
	g_assert_cmpint(a->scope, ==, E7_SCOPE_PROGRAM);
	g_assert_cmpint(a->lifetime, ==, E7_LIFETIME_ONCE);
	g_assert_cmpuint(f->timed_out, ==, 1);
	g_assert_cmpint(f->timed_out_action, ==, E7_ACTION_ALLOW);
}

static void test_interaction_stops_countdown(Fixture *f, gconstpointer data)
{
	GtkWidget *page;

	if (!have_display)
		return;
	add(f, 1, "/usr/bin/curl", 1, "block");
	page = e7_prompt_window_get_page(win(f), 0);
	gtk_combo_box_set_active_id(GTK_COMBO_BOX(child(page, "lifetime")),
				    "session");
	g_assert_false(e7_prompt_page_is_counting_down(E7_PROMPT_PAGE(page)));
	g_assert_cmpstr(
		gtk_label_get_text(GTK_LABEL(child(page, "countdown_label"))),
		==, "Automatic answer stopped: take your time.");
	e7_test_spin(1500);
	g_assert_cmpuint(f->ids->len, ==, 0);
	g_assert_cmpuint(f->timed_out, ==, 0);
	gtk_button_clicked(GTK_BUTTON(child(page, "allow_button")));
	g_assert_cmpuint(f->ids->len, ==, 1);
	g_assert_cmpint(g_array_index(f->answers, E7Answer, 0).lifetime, ==,
			E7_LIFETIME_LOGOUT);
}

static void send_key(GtkWidget *window, guint keyval, GdkModifierType state)
{
	GdkEvent *event = gdk_event_new(GDK_KEY_PRESS);
	GdkDisplay *display = gtk_widget_get_display(window);
	GdkSeat *seat = gdk_display_get_default_seat(display);

	event->key.window = g_object_ref(gtk_widget_get_window(window));
	event->key.keyval = keyval;
	event->key.state = state;
	event->key.time = GDK_CURRENT_TIME;
	gdk_event_set_device(event, gdk_seat_get_keyboard(seat));
	gtk_main_do_event(event);
	gdk_event_free(event);
}

static void test_escape_is_default(Fixture *f, gconstpointer data)
{
	E7Answer *a;

	if (!have_display)
		return;
	add(f, 1, "/usr/bin/curl", 30, "block");
	WAIT_FOR(f->mapped);
	send_key(f->window, GDK_KEY_Escape, 0);
	g_assert_cmpuint(f->ids->len, ==, 1);
	a = &g_array_index(f->answers, E7Answer, 0);
	g_assert_cmpint(a->action, ==, E7_ACTION_BLOCK);
	g_assert_cmpint(a->lifetime, ==, E7_LIFETIME_ONCE);
	g_assert_cmpuint(f->timed_out, ==, 0);
}

static void test_mnemonics(Fixture *f, gconstpointer data)
{
	GtkWidget *page;

	if (!have_display)
		return;
	add(f, 1, "/usr/bin/curl", 30, "block");
	add(f, 2, "/usr/bin/wget", 30, "block");
	WAIT_FOR(f->mapped);
	page = e7_prompt_window_get_page(win(f), 0);
	g_assert_true(gtk_button_get_use_underline(
		GTK_BUTTON(child(page, "allow_button"))));
	g_assert_cmpstr(
		gtk_button_get_label(GTK_BUTTON(child(page, "allow_button"))),
		==, "_Allow");
	/*
	 * Alt+D picks "this destination", Alt+A allows, on the current page
	 * only. A button activated by keyboard shows itself pressed briefly
	 * before it emits "clicked".
	 */
	g_assert_true(gtk_window_mnemonic_activate(GTK_WINDOW(f->window),
						   GDK_KEY_d, GDK_MOD1_MASK));
	WAIT_FOR(gtk_toggle_button_get_active(
		GTK_TOGGLE_BUTTON(child(page, "scope_destination"))));
	g_assert_true(gtk_window_mnemonic_activate(GTK_WINDOW(f->window),
						   GDK_KEY_a, GDK_MOD1_MASK));
	WAIT_FOR(f->ids->len == 1);
	g_assert_cmpint(g_array_index(f->answers, E7Answer, 0).action, ==,
			E7_ACTION_ALLOW);
	g_assert_cmpint(g_array_index(f->answers, E7Answer, 0).scope, ==,
			E7_SCOPE_DESTINATION);
	g_assert_true(gtk_window_mnemonic_activate(GTK_WINDOW(f->window),
						   GDK_KEY_b, GDK_MOD1_MASK));
	WAIT_FOR(f->ids->len == 2);
	g_assert_cmpuint(g_array_index(f->ids, guint64, 1), ==, 2);
	g_assert_cmpint(g_array_index(f->answers, E7Answer, 1).action, ==,
			E7_ACTION_BLOCK);
}

static void test_close_dismisses(Fixture *f, gconstpointer data)
{
	if (!have_display)
		return;
	add(f, 1, "/usr/bin/curl", 0, NULL);
	add(f, 2, "/usr/bin/wget", 0, NULL);
	WAIT_FOR(f->mapped);
	gtk_window_close(GTK_WINDOW(f->window));
	WAIT_FOR(f->ids->len == 2);
	g_assert_true(g_array_index(f->dismissed, gboolean, 0));
	g_assert_true(g_array_index(f->dismissed, gboolean, 1));
	g_assert_false(gtk_widget_get_visible(f->window));
	g_assert_cmpuint(e7_prompt_queue_get_n_groups(f->queue), ==, 0);
}

static void test_withdraw_hides(Fixture *f, gconstpointer data)
{
	if (!have_display)
		return;
	add(f, 1, "/usr/bin/curl", 0, NULL);
	g_assert_true(gtk_widget_get_visible(f->window));
	g_assert_true(e7_prompt_queue_withdraw(f->queue, 1));
	g_assert_cmpuint(e7_prompt_window_get_n_pages(win(f)), ==, 0);
	g_assert_false(gtk_widget_get_visible(f->window));
	g_assert_cmpuint(f->ids->len, ==, 0);
}

static void test_host_name(Fixture *f, gconstpointer data)
{
	g_autoptr(GResolver) fake = NULL;
	g_autoptr(GResolver) saved = NULL;
	GtkWidget *page;
	GtkLabel *remote;

	if (!have_display)
		return;
	saved = g_resolver_get_default();
	fake = g_object_new(fake_resolver_get_type(), NULL);
	g_resolver_set_default(fake);
	add(f, 1, "/usr/bin/curl", 0, NULL);
	page = e7_prompt_window_get_page(win(f), 0);
	remote = GTK_LABEL(child(page, "remote"));
	/* The page shows the address at once and does not wait for the name. */
	g_assert_cmpstr(gtk_label_get_text(remote), ==, "198.18.1.2");
	WAIT_FOR(g_strcmp0(gtk_label_get_text(remote), "198.18.1.2") != 0);
	g_assert_cmpstr(gtk_label_get_text(remote), ==,
			"host.test.example (198.18.1.2)");
	g_assert_nonnull(
		strstr(gtk_label_get_label(GTK_LABEL(child(page, "title"))),
		       "host.test.example"));
	g_resolver_set_default(saved);
}

/* The name and icon come from the program's desktop file, without blocking. */
static void test_desktop_name(Fixture *f, gconstpointer data)
{
	GtkWidget *page;
	GtkNotebook *notebook;

	if (!have_display)
		return;
	add_full(f, 1, "/usr/bin/true", 0, NULL, "e7-test-browser.desktop");
	add(f, 2, "/usr/bin/wget", 0, NULL);
	page = e7_prompt_window_get_page(win(f), 0);
	notebook = GTK_NOTEBOOK(gtk_widget_get_parent(page));
	WAIT_FOR(g_strcmp0(gtk_notebook_get_tab_label_text(notebook, page),
			   "Test Browser") == 0);
	g_assert_nonnull(
		strstr(gtk_label_get_label(GTK_LABEL(child(page, "title"))),
		       "<b>Test Browser</b>"));
}

/* Without a desktop id, the desktop file whose Exec is the program is found. */
static void test_desktop_by_executable(Fixture *f, gconstpointer data)
{
	GtkWidget *page;
	GtkNotebook *notebook;

	if (!have_display)
		return;
	add(f, 1, "/usr/bin/true", 0, NULL);
	add(f, 2, "/usr/bin/wget", 0, NULL);
	page = e7_prompt_window_get_page(win(f), 0);
	notebook = GTK_NOTEBOOK(gtk_widget_get_parent(page));
	WAIT_FOR(g_strcmp0(gtk_notebook_get_tab_label_text(notebook, page),
			   "Test Browser") == 0);
	/* wget has no desktop file: its executable name stays. */
	page = e7_prompt_window_get_page(win(f), 1);
	g_assert_cmpstr(gtk_notebook_get_tab_label_text(notebook, page), ==,
			"wget");
}

static void write_desktop_file(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *home = g_dir_make_tmp("e7-applet-test-XXXXXX", &error);
	g_autofree char *apps = NULL;
	g_autofree char *file = NULL;

	g_assert_no_error(error);
	apps = g_build_filename(home, "applications", NULL);
	g_assert_cmpint(g_mkdir_with_parents(apps, 0700), ==, 0);
	file = g_build_filename(apps, "e7-test-browser.desktop", NULL);
	g_assert_true(g_file_set_contents(file,
					  "[Desktop Entry]\nType=Application\n"
					  "Name=Test Browser\n"
					  "Exec=true %u\n"
					  "Icon=web-browser\n",
					  -1, &error));
	g_assert_no_error(error);
	/* Before anything in GIO reads the desktop file directories. */
	g_setenv("XDG_DATA_HOME", home, TRUE);
}

int main(int argc, char **argv)
{
	int ret;

	/* English strings are compared below. */
	e7_test_gtk_env();

	g_test_init(&argc, &argv, NULL);
	write_desktop_file();
	have_display = e7_test_gtk_init(&argc, &argv);

#define ADD(name, fn) \
	g_test_add("/applet/prompt/" name, Fixture, NULL, setup, fn, teardown)
	ADD("pages", test_pages);
	ADD("allow-with-choice", test_allow_with_choice);
	ADD("countdown", test_countdown);
	ADD("interaction-stops-countdown", test_interaction_stops_countdown);
	ADD("escape-is-default", test_escape_is_default);
	ADD("mnemonics", test_mnemonics);
	ADD("close-dismisses", test_close_dismisses);
	ADD("withdraw-hides", test_withdraw_hides);
	ADD("host-name", test_host_name);
	ADD("desktop-name", test_desktop_name);
	ADD("desktop-by-executable", test_desktop_by_executable);
	ret = g_test_run();
	e7_test_stop_xvfb();
	return ret;
}
