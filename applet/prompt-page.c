/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "prompt-page.h"

#include <glib/gi18n.h>

#include "appinfo.h"
#include "ui-template.h"

/* How often the countdown label and bar are refreshed. */
#define TICK_MS 250

struct _E7PromptPage {
	GtkBox parent_instance;

	GtkImage *icon;
	GtkLabel *title;
	GtkLabel *more;
	GtkLabel *program;
	GtkLabel *process;
	GtkLabel *cmdline;
	GtkLabel *changed;
	GtkLabel *user;
	GtkLabel *remote;
	GtkLabel *connection;
	GtkRadioButton *scope_program;
	GtkRadioButton *scope_destination;
	GtkRadioButton *scope_port;
	GtkComboBoxText *lifetime;
	GtkLabel *countdown_label;
	GtkProgressBar *countdown_bar;
	GtkButton *allow_button;
	GtkButton *block_button;

	E7PromptGroup *group;
	E7Request *shown; /* the request whose details are on the page */
	char *app_name; /* from the desktop file, once looked up */
	char *host_name; /* reverse lookup of the remote address */
	GCancellable *cancellable;
	guint tick_id;
	gboolean counting;
	gboolean answered;
};

enum { SIGNAL_ANSWER, SIGNAL_TITLE_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE(E7PromptPage, e7_prompt_page, GTK_TYPE_BOX)

static void emit_answer(E7PromptPage *self, const E7Answer *answer,
			gboolean automatic)
{
	if (self->answered)
		return;
	self->answered = TRUE;
	e7_prompt_page_stop_countdown(self);
	g_signal_emit(self, signals[SIGNAL_ANSWER], 0, answer, automatic);
}

void e7_prompt_page_get_choice(E7PromptPage *self, E7Action action,
			       E7Answer *answer)
{
	const char *id =
		gtk_combo_box_get_active_id(GTK_COMBO_BOX(self->lifetime));

	answer->action = action;
	if (gtk_toggle_button_get_active(
		    GTK_TOGGLE_BUTTON(self->scope_destination)))
		answer->scope = E7_SCOPE_DESTINATION;
	else if (gtk_toggle_button_get_active(
			 GTK_TOGGLE_BUTTON(self->scope_port)))
		answer->scope = E7_SCOPE_PORT;
	else
		answer->scope = E7_SCOPE_PROGRAM;
	answer->duration = 0;
	if (g_strcmp0(id, "process") == 0) {
		answer->lifetime = E7_LIFETIME_PROCESS;
	} else if (g_strcmp0(id, "session") == 0) {
		answer->lifetime = E7_LIFETIME_LOGOUT;
	} else if (g_strcmp0(id, "forever") == 0) {
		answer->lifetime = E7_LIFETIME_FOREVER;
	} else if (id && g_ascii_isdigit(id[0])) {
		answer->lifetime = E7_LIFETIME_SECONDS;
		answer->duration = (guint)g_ascii_strtoull(id, NULL, 10);
	} else {
		answer->lifetime = E7_LIFETIME_ONCE;
	}
}

static void allow_clicked(GtkButton *button, E7PromptPage *self)
{
	E7Answer answer;

	e7_prompt_page_get_choice(self, E7_ACTION_ALLOW, &answer);
	emit_answer(self, &answer, FALSE);
}

static void block_clicked(GtkButton *button, E7PromptPage *self)
{
	E7Answer answer;

	e7_prompt_page_get_choice(self, E7_ACTION_BLOCK, &answer);
	emit_answer(self, &answer, FALSE);
}

void e7_prompt_page_answer_default(E7PromptPage *self)
{
	E7Answer answer;
	E7Request *first = e7_prompt_group_get_first(self->group);

	if (!first)
		return;
	e7_answer_init_default(&answer, first);
	emit_answer(self, &answer, FALSE);
}

static void update_countdown(E7PromptPage *self)
{
	E7Request *first = e7_prompt_group_get_first(self->group);
	gint64 left;

	if (!first || first->timeout == 0) {
		gtk_widget_hide(GTK_WIDGET(self->countdown_label));
		gtk_widget_hide(GTK_WIDGET(self->countdown_bar));
		return;
	}
	gtk_widget_show(GTK_WIDGET(self->countdown_label));
	if (!self->counting) {
		gtk_label_set_text(
			self->countdown_label,
			_("Automatic answer stopped: take your time."));
		gtk_widget_hide(GTK_WIDGET(self->countdown_bar));
		return;
	}
	left = e7_request_remaining(first, g_get_monotonic_time());
	if (first->default_action == E7_ACTION_ALLOW) {
		g_autofree char *text = g_strdup_printf(
			g_dngettext(
				GETTEXT_PACKAGE,
				"Allowing once in %u second unless you answer.",
				"Allowing once in %u seconds unless you answer.",
				(gulong)left),
			(guint)left);
		gtk_label_set_text(self->countdown_label, text);
	} else {
		g_autofree char *text = g_strdup_printf(
			g_dngettext(
				GETTEXT_PACKAGE,
				"Blocking once in %u second unless you answer.",
				"Blocking once in %u seconds unless you answer.",
				(gulong)left),
			(guint)left);
		gtk_label_set_text(self->countdown_label, text);
	}
	gtk_widget_show(GTK_WIDGET(self->countdown_bar));
	{
		gint64 total = (gint64)first->timeout * G_USEC_PER_SEC;
		gint64 rest =
			first->received_us + total - g_get_monotonic_time();

		gtk_progress_bar_set_fraction(
			self->countdown_bar,
			CLAMP((double)rest / (double)total, 0.0, 1.0));
	}
}

static gboolean tick(gpointer data)
{
	E7PromptPage *self = data;
	E7Request *first = e7_prompt_group_get_first(self->group);

	if (first && e7_request_remaining(first, g_get_monotonic_time()) == 0) {
		E7Answer answer;

		self->tick_id = 0;
		e7_answer_init_default(&answer, first);
		emit_answer(self, &answer, TRUE);
		return G_SOURCE_REMOVE;
	}
	update_countdown(self);
	return G_SOURCE_CONTINUE;
}

void e7_prompt_page_stop_countdown(E7PromptPage *self)
{
	g_return_if_fail(E7_IS_PROMPT_PAGE(self));
	if (!self->counting)
		return;
	self->counting = FALSE;
	g_clear_handle_id(&self->tick_id, g_source_remove);
	update_countdown(self);
}

gboolean e7_prompt_page_is_counting_down(E7PromptPage *self)
{
	g_return_val_if_fail(E7_IS_PROMPT_PAGE(self), FALSE);
	return self->counting;
}

static void choice_changed(E7PromptPage *self)
{
	e7_prompt_page_stop_countdown(self);
}

static char *remote_text(E7PromptPage *self, E7Request *r)
{
	if (!r->remote_address)
		return g_strdup(_("unknown"));
	if (self->host_name)
		/* TRANSLATORS: host name (IP address) */
		return g_strdup_printf(_("%s (%s)"), self->host_name,
				       r->remote_address);
	return g_strdup(r->remote_address);
}

/* "curl has changed since you allowed it": another program at the path of
 * the program its rules were made for. */
static void show_changed(E7PromptPage *self, const E7Request *r,
			 const char *name)
{
	g_autofree char *text = NULL;

	if (!r->program_changed) {
		gtk_widget_hide(GTK_WIDGET(self->changed));
		return;
	}
	text = g_strdup_printf(
		_("%s has changed since its rules were made: it is another program now (SHA-256 %.12s…, was %.12s…)."),
		name, r->sha256 ? r->sha256 : "?",
		r->previous_sha256 ? r->previous_sha256 : "?");
	gtk_label_set_text(self->changed, text);
	gtk_widget_show(GTK_WIDGET(self->changed));
}

static void update_title(E7PromptPage *self)
{
	E7Request *r = self->shown;
	g_autofree char *name = self->app_name ? g_strdup(self->app_name) :
						 e7_request_display_name(r);
	const char *peer = self->host_name ? self->host_name :
					     r->remote_address;
	g_autofree char *markup = NULL;

	if (g_strcmp0(r->direction, "in") == 0)
		markup =
			peer ? g_markup_printf_escaped(
				       _("<b>%s</b> wants to accept a connection from %s"),
				       name, peer) :
			       g_markup_printf_escaped(
				       _("<b>%s</b> wants to accept a connection"),
				       name);
	else
		markup =
			peer ? g_markup_printf_escaped(
				       _("<b>%s</b> wants to connect to %s"),
				       name, peer) :
			       g_markup_printf_escaped(
				       _("<b>%s</b> wants to connect to the network"),
				       name);
	gtk_label_set_markup(self->title, markup);
	show_changed(self, r, name);
	{
		g_autofree char *remote = remote_text(self, r);

		gtk_label_set_text(self->remote, remote);
		gtk_widget_set_tooltip_text(GTK_WIDGET(self->remote), remote);
	}
}

static void resolved_cb(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *name = g_resolver_lookup_by_address_finish(
		G_RESOLVER(source), result, &error);
	E7PromptPage *self;

	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;
	self = data;
	if (!name || !g_utf8_validate(name, -1, NULL))
		return;
	g_free(self->host_name);
	self->host_name = g_steal_pointer(&name);
	update_title(self);
}

static void app_info_cb(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(E7AppInfo) info = e7_app_info_lookup_finish(result, &error);
	E7PromptPage *self;

	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;
	self = data;
	if (!info)
		return;
	if (info->icon)
		gtk_image_set_from_gicon(self->icon, info->icon,
					 GTK_ICON_SIZE_DIALOG);
	gtk_image_set_pixel_size(self->icon, 48);
	if (info->name) {
		g_free(self->app_name);
		self->app_name = g_strdup(info->name);
		update_title(self);
		g_signal_emit(self, signals[SIGNAL_TITLE_CHANGED], 0);
	}
}

static const char *protocol_label(const char *protocol)
{
	if (!protocol)
		return _("unknown protocol");
	if (g_str_equal(protocol, "tcp"))
		return "TCP";
	if (g_str_equal(protocol, "udp"))
		return "UDP";
	if (g_str_equal(protocol, "udplite"))
		return "UDP-Lite";
	if (g_str_equal(protocol, "icmp"))
		return "ICMP";
	if (g_str_equal(protocol, "sctp"))
		return "SCTP";
	if (g_str_equal(protocol, "raw"))
		return _("raw IP");
	return protocol;
}

static void show_icon(E7PromptPage *self, E7Request *r)
{
	if (r->icon && g_path_is_absolute(r->icon)) {
		g_autoptr(GFile) file = g_file_new_for_path(r->icon);
		g_autoptr(GIcon) icon = g_file_icon_new(file);

		gtk_image_set_from_gicon(self->icon, icon,
					 GTK_ICON_SIZE_DIALOG);
	} else {
		gtk_image_set_from_icon_name(
			self->icon,
			r->icon ? r->icon : "application-x-executable",
			GTK_ICON_SIZE_DIALOG);
	}
	gtk_image_set_pixel_size(self->icon, 48);
}

/* Program, process, command line and user. */
static void show_process(E7PromptPage *self, E7Request *r)
{
	g_autofree char *process = NULL;
	g_autofree char *user = NULL;

	gtk_label_set_text(self->program,
			   r->program ? r->program : _("unknown"));
	gtk_widget_set_tooltip_text(GTK_WIDGET(self->program), r->program);
	process = r->pid ? g_strdup_printf(_("process %u"), r->pid) :
			   g_strdup(_("unknown"));
	gtk_label_set_text(self->process, process);
	gtk_label_set_text(self->cmdline, r->cmdline ? r->cmdline : "");
	gtk_widget_set_tooltip_text(GTK_WIDGET(self->cmdline), r->cmdline);
	if (r->user && r->uid != G_MAXUINT32)
		/* TRANSLATORS: user name (uid number) */
		user = g_strdup_printf(_("%s (uid %u)"), r->user, r->uid);
	else if (r->uid != G_MAXUINT32)
		user = g_strdup_printf(_("uid %u"), r->uid);
	else
		user = g_strdup(r->user ? r->user : _("unknown"));
	gtk_label_set_text(self->user, user);
}

/* The connection line and the scopes an answer may have. */
static void show_connection(E7PromptPage *self, E7Request *r)
{
	g_autofree char *connection = NULL;
	g_autofree char *dest = NULL;
	g_autofree char *port = NULL;
	const char *proto = protocol_label(r->protocol);
	gboolean in = g_strcmp0(r->direction, "in") == 0;

	if (r->remote_port)
		/* TRANSLATORS: "TCP port 443, outgoing" */
		connection = g_strdup_printf(in ? _("%s port %u, incoming") :
						  _("%s port %u, outgoing"),
					     proto, r->remote_port);
	else
		/* TRANSLATORS: "ICMP, outgoing" */
		connection = g_strdup_printf(
			in ? _("%s, incoming") : _("%s, outgoing"), proto);
	gtk_label_set_text(self->connection, connection);

	dest = g_strdup_printf(_("Only this _destination (%s)"),
			       r->remote_address ? r->remote_address :
						   _("unknown"));
	gtk_button_set_label(GTK_BUTTON(self->scope_destination), dest);
	gtk_widget_set_sensitive(GTK_WIDGET(self->scope_destination),
				 r->remote_address != NULL);
	if (r->remote_port)
		/* TRANSLATORS: "Only this port (TCP 443)" */
		port = g_strdup_printf(_("Only this _port (%s %u)"), proto,
				       r->remote_port);
	else
		port = g_strdup(_("Only this _port"));
	gtk_button_set_label(GTK_BUTTON(self->scope_port), port);
	gtk_widget_set_sensitive(GTK_WIDGET(self->scope_port),
				 r->remote_port != 0);
}

/* The host name and the desktop file, off the main loop. */
static void start_lookups(E7PromptPage *self, E7Request *r)
{
	if (r->remote_address) {
		g_autoptr(GInetAddress) addr =
			g_inet_address_new_from_string(r->remote_address);
		g_autoptr(GResolver) resolver = g_resolver_get_default();

		if (addr)
			g_resolver_lookup_by_address_async(resolver, addr,
							   self->cancellable,
							   resolved_cb, self);
	}
	if (r->desktop_id || r->program)
		e7_app_info_lookup_async(r, self->cancellable, app_info_cb,
					 self);
}

static void show_request(E7PromptPage *self, E7Request *r)
{
	if (self->shown == r)
		return;
	g_cancellable_cancel(self->cancellable);
	g_clear_object(&self->cancellable);
	self->cancellable = g_cancellable_new();
	g_clear_pointer(&self->shown, e7_request_unref);
	self->shown = e7_request_ref(r);
	g_clear_pointer(&self->app_name, g_free);
	g_clear_pointer(&self->host_name, g_free);

	show_icon(self, r);
	show_process(self, r);
	show_connection(self, r);
	update_title(self);
	start_lookups(self, r);
}

static void group_changed(E7PromptGroup *group, E7PromptPage *self)
{
	E7Request *first = e7_prompt_group_get_first(group);
	guint n = e7_prompt_group_get_n_requests(group);

	if (!first)
		return;
	show_request(self, first);
	if (n > 1) {
		g_autofree char *more = g_strdup_printf(
			g_dngettext(
				GETTEXT_PACKAGE,
				"%u more connection of this program is waiting and gets the same answer.",
				"%u more connections of this program are waiting and get the same answer.",
				n - 1),
			n - 1);
		gtk_label_set_text(self->more, more);
		gtk_widget_show(GTK_WIDGET(self->more));
	} else {
		gtk_widget_hide(GTK_WIDGET(self->more));
	}
	update_countdown(self);
}

char *e7_prompt_page_dup_title(E7PromptPage *self)
{
	g_return_val_if_fail(E7_IS_PROMPT_PAGE(self), NULL);
	if (self->app_name)
		return g_strdup(self->app_name);
	return e7_request_display_name(self->shown);
}

E7PromptGroup *e7_prompt_page_get_group(E7PromptPage *self)
{
	g_return_val_if_fail(E7_IS_PROMPT_PAGE(self), NULL);
	return self->group;
}

static void e7_prompt_page_dispose(GObject *object)
{
	E7PromptPage *self = E7_PROMPT_PAGE(object);

	g_clear_handle_id(&self->tick_id, g_source_remove);
	if (self->cancellable)
		g_cancellable_cancel(self->cancellable);
	g_clear_object(&self->cancellable);
	if (self->group)
		g_signal_handlers_disconnect_by_data(self->group, self);
	g_clear_object(&self->group);
	G_OBJECT_CLASS(e7_prompt_page_parent_class)->dispose(object);
}

static void e7_prompt_page_finalize(GObject *object)
{
	E7PromptPage *self = E7_PROMPT_PAGE(object);

	g_clear_pointer(&self->shown, e7_request_unref);
	g_free(self->app_name);
	g_free(self->host_name);
	G_OBJECT_CLASS(e7_prompt_page_parent_class)->finalize(object);
}

static void e7_prompt_page_class_init(E7PromptPageClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	object_class->dispose = e7_prompt_page_dispose;
	object_class->finalize = e7_prompt_page_finalize;

	signals[SIGNAL_ANSWER] = g_signal_new(
		"answer", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL,
		NULL, NULL, G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_BOOLEAN);
	signals[SIGNAL_TITLE_CHANGED] = g_signal_new(
		"title-changed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0,
		NULL, NULL, NULL, G_TYPE_NONE, 0);

	e7_ui_template_set(widget_class, "prompt-page.ui");
	gtk_widget_class_bind_template_child(widget_class, E7PromptPage, icon);
	gtk_widget_class_bind_template_child(widget_class, E7PromptPage, title);
	gtk_widget_class_bind_template_child(widget_class, E7PromptPage, more);
	gtk_widget_class_bind_template_child(widget_class, E7PromptPage,
					     program);
	gtk_widget_class_bind_template_child(widget_class, E7PromptPage,
					     process);
	gtk_widget_class_bind_template_child(widget_class, E7PromptPage,
					     cmdline);
	gtk_widget_class_bind_template_child(widget_class, E7PromptPage,
					     changed);
	gtk_widget_class_bind_template_child(widget_class, E7PromptPage, user);
	gtk_widget_class_bind_template_child(widget_class, E7PromptPage,
					     remote);
	gtk_widget_class_bind_template_child(widget_class, E7PromptPage,
					     connection);
	gtk_widget_class_bind_template_child(widget_class, E7PromptPage,
					     scope_program);
	gtk_widget_class_bind_template_child(widget_class, E7PromptPage,
					     scope_destination);
	gtk_widget_class_bind_template_child(widget_class, E7PromptPage,
					     scope_port);
	gtk_widget_class_bind_template_child(widget_class, E7PromptPage,
					     lifetime);
	gtk_widget_class_bind_template_child(widget_class, E7PromptPage,
					     countdown_label);
	gtk_widget_class_bind_template_child(widget_class, E7PromptPage,
					     countdown_bar);
	gtk_widget_class_bind_template_child(widget_class, E7PromptPage,
					     allow_button);
	gtk_widget_class_bind_template_child(widget_class, E7PromptPage,
					     block_button);
	gtk_widget_class_bind_template_callback(widget_class, allow_clicked);
	gtk_widget_class_bind_template_callback(widget_class, block_clicked);
}

static void e7_prompt_page_init(E7PromptPage *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
	gtk_combo_box_set_active_id(GTK_COMBO_BOX(self->lifetime), "once");
	g_signal_connect_swapped(self->scope_program, "toggled",
				 G_CALLBACK(choice_changed), self);
	g_signal_connect_swapped(self->scope_destination, "toggled",
				 G_CALLBACK(choice_changed), self);
	g_signal_connect_swapped(self->scope_port, "toggled",
				 G_CALLBACK(choice_changed), self);
	g_signal_connect_swapped(self->lifetime, "changed",
				 G_CALLBACK(choice_changed), self);
}

GtkWidget *e7_prompt_page_new(E7PromptGroup *group)
{
	E7PromptPage *self;
	E7Request *first;

	g_return_val_if_fail(E7_IS_PROMPT_GROUP(group), NULL);
	first = e7_prompt_group_get_first(group);
	g_return_val_if_fail(first != NULL, NULL);

	self = g_object_new(E7_TYPE_PROMPT_PAGE, NULL);
	self->group = g_object_ref(group);
	self->counting = first->timeout > 0;
	g_signal_connect(group, "changed", G_CALLBACK(group_changed), self);
	group_changed(group, self);
	if (self->counting)
		self->tick_id = g_timeout_add(TICK_MS, tick, self);
	return GTK_WIDGET(self);
}
