/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "tray-menu.h"

#include <glib/gi18n.h>

struct _E7TrayMenu {
	GObject parent_instance;
	gboolean running;
	char *mode; /* NULL: not known */
	guint pending;
	GMenu *model;
	GMenu *status; /* first section: the state, the waiting programs */
};

enum { SIGNAL_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE(E7TrayMenu, e7_tray_menu, G_TYPE_OBJECT)

/* Mode names (linux/eftirlit7.h E7_MODES) and labels, as in the rules window. */
static const struct {
	const char *name;
	const char *label;
} mode_table[] = {
	{ "ask", N_("Ask about unknown programs") },
	{ "allow-unknown", N_("Learn: allow unknown programs") },
	{ "deny-unknown", N_("Block unknown programs") },
	{ "disabled", N_("Disabled: allow everything") },
	{ "block-all", N_("Block everything") },
};

const char *e7_tray_mode_label(const char *mode)
{
	for (guint i = 0; mode && i < G_N_ELEMENTS(mode_table); i++)
		if (g_str_equal(mode, mode_table[i].name))
			return _(mode_table[i].label);
	return NULL;
}

const char *e7_tray_icon_name(E7TrayStatus status)
{
	switch (status) {
	case E7_TRAY_ATTENTION:
		return "e7-applet-attention";
	case E7_TRAY_IDLE:
		return "e7-applet";
	case E7_TRAY_OFF:
	default:
		return "e7-applet-off";
	}
}

/* The state in words: the first, insensitive line of the menu. */
static char *dup_state_text(E7TrayMenu *self)
{
	const char *label = e7_tray_mode_label(self->mode);

	if (!self->running)
		return g_strdup(_("The firewall is not running"));
	if (label)
		return g_strdup_printf(_("Mode: %s"), label);
	if (self->mode)
		return g_strdup_printf(_("Mode: %s"), self->mode);
	return g_strdup(_("Mode: not known (is the kernel module loaded?)"));
}

char *e7_tray_menu_dup_title(E7TrayMenu *self)
{
	g_autofree char *state = NULL;

	g_return_val_if_fail(E7_IS_TRAY_MENU(self), NULL);
	state = dup_state_text(self);
	if (self->pending == 0)
		return g_strdup_printf(_("Firewall: %s"), state);
	return g_strdup_printf(
		g_dngettext(
			GETTEXT_PACKAGE, "Firewall: %s; %u program is waiting",
			"Firewall: %s; %u programs are waiting", self->pending),
		state, self->pending);
}

static void rebuild_status(E7TrayMenu *self)
{
	g_autofree char *state = dup_state_text(self);
	g_autofree char *answer = NULL;

	g_menu_remove_all(self->status);
	/* No action: shown, not clickable. */
	g_menu_append(self->status, state, NULL);
	if (self->pending > 0) {
		answer = g_strdup_printf(
			g_dngettext(
				GETTEXT_PACKAGE, "_Answer %u Waiting Program",
				"_Answer %u Waiting Programs", self->pending),
			self->pending);
		g_menu_append(self->status, answer, "app.prompts");
	}
}

static void changed(E7TrayMenu *self)
{
	rebuild_status(self);
	g_signal_emit(self, signals[SIGNAL_CHANGED], 0);
}

void e7_tray_menu_set_running(E7TrayMenu *self, gboolean running)
{
	g_return_if_fail(E7_IS_TRAY_MENU(self));
	running = !!running;
	if (self->running == running)
		return;
	self->running = running;
	changed(self);
}

void e7_tray_menu_set_mode(E7TrayMenu *self, const char *mode)
{
	g_return_if_fail(E7_IS_TRAY_MENU(self));
	if (g_strcmp0(mode, "unknown") == 0 || (mode && !*mode))
		mode = NULL;
	if (g_strcmp0(self->mode, mode) == 0)
		return;
	g_free(self->mode);
	self->mode = g_strdup(mode);
	changed(self);
}

void e7_tray_menu_set_pending(E7TrayMenu *self, guint pending)
{
	g_return_if_fail(E7_IS_TRAY_MENU(self));
	if (self->pending == pending)
		return;
	self->pending = pending;
	changed(self);
}

E7TrayStatus e7_tray_menu_get_status(E7TrayMenu *self)
{
	g_return_val_if_fail(E7_IS_TRAY_MENU(self), E7_TRAY_OFF);
	/* Waiting programs need an answer even while e7d restarts. */
	if (self->pending > 0)
		return E7_TRAY_ATTENTION;
	return self->running ? E7_TRAY_IDLE : E7_TRAY_OFF;
}

guint e7_tray_menu_get_pending(E7TrayMenu *self)
{
	g_return_val_if_fail(E7_IS_TRAY_MENU(self), 0);
	return self->pending;
}

const char *e7_tray_menu_get_mode(E7TrayMenu *self)
{
	g_return_val_if_fail(E7_IS_TRAY_MENU(self), NULL);
	return self->mode;
}

GMenuModel *e7_tray_menu_get_model(E7TrayMenu *self)
{
	g_return_val_if_fail(E7_IS_TRAY_MENU(self), NULL);
	return G_MENU_MODEL(self->model);
}

static GMenuModel *build_modes(void)
{
	GMenu *modes = g_menu_new();

	for (guint i = 0; i < G_N_ELEMENTS(mode_table); i++) {
		g_autoptr(GMenuItem)
			item = g_menu_item_new(_(mode_table[i].label), NULL);

		g_menu_item_set_action_and_target(item, "app.mode", "s",
						  mode_table[i].name);
		g_menu_append_item(modes, item);
	}
	return G_MENU_MODEL(modes);
}

static void e7_tray_menu_finalize(GObject *object)
{
	E7TrayMenu *self = E7_TRAY_MENU(object);

	g_free(self->mode);
	g_clear_object(&self->status);
	g_clear_object(&self->model);
	G_OBJECT_CLASS(e7_tray_menu_parent_class)->finalize(object);
}

static void e7_tray_menu_class_init(E7TrayMenuClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = e7_tray_menu_finalize;
	/* The state (status, title, mode or pending count) changed. */
	signals[SIGNAL_CHANGED] = g_signal_new("changed",
					       G_TYPE_FROM_CLASS(klass),
					       G_SIGNAL_RUN_LAST, 0, NULL, NULL,
					       NULL, G_TYPE_NONE, 0);
}

static void e7_tray_menu_init(E7TrayMenu *self)
{
	g_autoptr(GMenuModel) modes = build_modes();
	g_autoptr(GMenu) actions = g_menu_new();
	g_autoptr(GMenu) mode_section = g_menu_new();

	self->model = g_menu_new();
	self->status = g_menu_new();
	rebuild_status(self);
	g_menu_append_section(self->model, NULL, G_MENU_MODEL(self->status));
	g_menu_append_submenu(mode_section, _("_Mode"), modes);
	g_menu_append_section(self->model, NULL, G_MENU_MODEL(mode_section));
	g_menu_append(actions, _("_Rules and Activity"), "app.rules");
	g_menu_append(actions, _("_Quit"), "app.quit");
	g_menu_append_section(self->model, NULL, G_MENU_MODEL(actions));
}

E7TrayMenu *e7_tray_menu_new(void)
{
	return g_object_new(E7_TYPE_TRAY_MENU, NULL);
}
