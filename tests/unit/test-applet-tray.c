/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The tray's state and menu model: status, icon, title and menu items. */
#include "config.h"

#include "tray-menu.h"

typedef struct {
	E7TrayMenu *menu;
	guint changed;
} Fixture;

static void on_changed(E7TrayMenu *menu, Fixture *f)
{
	f->changed++;
}

static void setup(Fixture *f, gconstpointer data)
{
	f->menu = e7_tray_menu_new();
	f->changed = 0;
	g_signal_connect(f->menu, "changed", G_CALLBACK(on_changed), f);
}

static void teardown(Fixture *f, gconstpointer data)
{
	g_clear_object(&f->menu);
}

static GMenuModel *section(Fixture *f, int i)
{
	GMenuModel *model = e7_tray_menu_get_model(f->menu);

	g_assert_cmpint(g_menu_model_get_n_items(model), ==, 3);
	return g_menu_model_get_item_link(model, i, G_MENU_LINK_SECTION);
}

/* Item i of model: its label, action (or NULL) and string target (or NULL). */
static void get_item(GMenuModel *model, int i, char **label, char **action,
		     char **target)
{
	*label = *action = *target = NULL;
	g_assert_true(g_menu_model_get_item_attribute(
		model, i, G_MENU_ATTRIBUTE_LABEL, "s", label));
	g_menu_model_get_item_attribute(model, i, G_MENU_ATTRIBUTE_ACTION, "s",
					action);
	g_menu_model_get_item_attribute(model, i, G_MENU_ATTRIBUTE_TARGET, "s",
					target);
}

static void assert_item(GMenuModel *model, int i, const char *label,
			const char *action, const char *target)
{
	g_autofree char *l = NULL, *a = NULL, *t = NULL;

	get_item(model, i, &l, &a, &t);
	g_assert_cmpstr(l, ==, label);
	g_assert_cmpstr(a, ==, action);
	g_assert_cmpstr(t, ==, target);
}

static void test_initial(Fixture *f, gconstpointer data)
{
	g_autoptr(GMenuModel) status = section(f, 0);
	g_autoptr(GMenuModel) actions = section(f, 2);
	g_autofree char *title = e7_tray_menu_dup_title(f->menu);

	g_assert_cmpint(e7_tray_menu_get_status(f->menu), ==, E7_TRAY_OFF);
	g_assert_null(e7_tray_menu_get_mode(f->menu));
	g_assert_cmpuint(e7_tray_menu_get_pending(f->menu), ==, 0);
	g_assert_cmpstr(title, ==, "Firewall: The firewall is not running");
	g_assert_cmpint(g_menu_model_get_n_items(status), ==, 1);
	/* The state line has no action: shown, not clickable. */
	assert_item(status, 0, "The firewall is not running", NULL, NULL);
	g_assert_cmpint(g_menu_model_get_n_items(actions), ==, 2);
	assert_item(actions, 0, "_Rules and Activity", "app.rules", NULL);
	assert_item(actions, 1, "_Quit", "app.quit", NULL);
}

static void test_modes(Fixture *f, gconstpointer data)
{
	static const char *const want[][2] = {
		{ "ask", "Ask about unknown programs" },
		{ "allow-unknown", "Learn: allow unknown programs" },
		{ "deny-unknown", "Block unknown programs" },
		{ "disabled", "Disabled: allow everything" },
		{ "block-all", "Block everything" },
	};
	g_autoptr(GMenuModel) mode_section = section(f, 1);
	g_autoptr(GMenuModel) modes = NULL;
	g_autofree char *label = NULL;

	g_assert_cmpint(g_menu_model_get_n_items(mode_section), ==, 1);
	g_assert_true(g_menu_model_get_item_attribute(
		mode_section, 0, G_MENU_ATTRIBUTE_LABEL, "s", &label));
	g_assert_cmpstr(label, ==, "_Mode");
	modes = g_menu_model_get_item_link(mode_section, 0,
					   G_MENU_LINK_SUBMENU);
	g_assert_nonnull(modes);
	g_assert_cmpint(g_menu_model_get_n_items(modes), ==,
			G_N_ELEMENTS(want));
	for (guint i = 0; i < G_N_ELEMENTS(want); i++) {
		assert_item(modes, i, want[i][1], "app.mode", want[i][0]);
		g_assert_cmpstr(e7_tray_mode_label(want[i][0]), ==, want[i][1]);
	}
	g_assert_null(e7_tray_mode_label("no-such-mode"));
	g_assert_null(e7_tray_mode_label(NULL));
}

static void test_running_mode(Fixture *f, gconstpointer data)
{
	g_autoptr(GMenuModel) status = section(f, 0);
	g_autofree char *title = NULL;

	e7_tray_menu_set_running(f->menu, TRUE);
	g_assert_cmpuint(f->changed, ==, 1);
	g_assert_cmpint(e7_tray_menu_get_status(f->menu), ==, E7_TRAY_IDLE);
	assert_item(status, 0, "Mode: not known (is the kernel module loaded?)",
		    NULL, NULL);

	e7_tray_menu_set_mode(f->menu, "deny-unknown");
	g_assert_cmpuint(f->changed, ==, 2);
	g_assert_cmpstr(e7_tray_menu_get_mode(f->menu), ==, "deny-unknown");
	assert_item(status, 0, "Mode: Block unknown programs", NULL, NULL);
	title = e7_tray_menu_dup_title(f->menu);
	g_assert_cmpstr(title, ==, "Firewall: Mode: Block unknown programs");

	/* The same values again: no change. */
	e7_tray_menu_set_mode(f->menu, "deny-unknown");
	e7_tray_menu_set_running(f->menu, 5);
	g_assert_cmpuint(f->changed, ==, 2);

	/* A mode added to e7d later shows by its name. */
	e7_tray_menu_set_mode(f->menu, "paranoid");
	assert_item(status, 0, "Mode: paranoid", NULL, NULL);
	/* e7d says "unknown" while the module is not loaded. */
	e7_tray_menu_set_mode(f->menu, "unknown");
	g_assert_null(e7_tray_menu_get_mode(f->menu));
	e7_tray_menu_set_mode(f->menu, NULL);
	g_assert_cmpuint(f->changed, ==, 4);

	e7_tray_menu_set_mode(f->menu, "ask");
	e7_tray_menu_set_running(f->menu, FALSE);
	g_assert_cmpint(e7_tray_menu_get_status(f->menu), ==, E7_TRAY_OFF);
	assert_item(status, 0, "The firewall is not running", NULL, NULL);
}

static void test_pending(Fixture *f, gconstpointer data)
{
	g_autoptr(GMenuModel) status = section(f, 0);
	g_autofree char *title = NULL, *title1 = NULL;

	e7_tray_menu_set_running(f->menu, TRUE);
	e7_tray_menu_set_mode(f->menu, "ask");
	f->changed = 0;

	e7_tray_menu_set_pending(f->menu, 2);
	g_assert_cmpuint(f->changed, ==, 1);
	g_assert_cmpint(e7_tray_menu_get_status(f->menu), ==,
			E7_TRAY_ATTENTION);
	g_assert_cmpint(g_menu_model_get_n_items(status), ==, 2);
	assert_item(status, 1, "_Answer 2 Waiting Programs", "app.prompts",
		    NULL);
	title = e7_tray_menu_dup_title(f->menu);
	g_assert_cmpstr(
		title, ==,
		"Firewall: Mode: Ask about unknown programs; 2 programs are waiting");

	e7_tray_menu_set_pending(f->menu, 1);
	assert_item(status, 1, "_Answer 1 Waiting Program", "app.prompts",
		    NULL);
	title1 = e7_tray_menu_dup_title(f->menu);
	g_assert_true(g_str_has_suffix(title1, "; 1 program is waiting"));

	/* Programs that wait need an answer even while e7d is away. */
	e7_tray_menu_set_running(f->menu, FALSE);
	g_assert_cmpint(e7_tray_menu_get_status(f->menu), ==,
			E7_TRAY_ATTENTION);

	e7_tray_menu_set_running(f->menu, TRUE);
	e7_tray_menu_set_pending(f->menu, 0);
	g_assert_cmpint(e7_tray_menu_get_status(f->menu), ==, E7_TRAY_IDLE);
	g_assert_cmpint(g_menu_model_get_n_items(status), ==, 1);
	g_assert_cmpuint(f->changed, ==, 5);
}

/* Every status has its own icon, installed with the applet. */
static void test_icons(void)
{
	const E7TrayStatus statuses[] = { E7_TRAY_OFF, E7_TRAY_IDLE,
					  E7_TRAY_ATTENTION };

	for (guint i = 0; i < G_N_ELEMENTS(statuses); i++) {
		const char *name = e7_tray_icon_name(statuses[i]);
		g_autofree char *file = g_strdup_printf("%s.svg", name);
		g_autofree char *path =
			g_build_filename(E7_TEST_DATADIR, "icons", "hicolor",
					 "scalable", "apps", file, NULL);

		g_assert_true(g_file_test(path, G_FILE_TEST_IS_REGULAR));
		for (guint j = 0; j < i; j++)
			g_assert_cmpstr(name, !=,
					e7_tray_icon_name(statuses[j]));
	}
	g_assert_cmpstr(e7_tray_icon_name(E7_TRAY_IDLE), ==, "e7-applet");
}

int main(int argc, char **argv)
{
	g_setenv("LANGUAGE", "C", TRUE);
	g_unsetenv("LANG");
	g_unsetenv("LC_ALL");
	g_unsetenv("LC_MESSAGES");
	g_test_init(&argc, &argv, NULL);
#define ADD(name, fn) \
	g_test_add("/applet/tray/" name, Fixture, NULL, setup, fn, teardown)
	ADD("initial", test_initial);
	ADD("modes", test_modes);
	ADD("running-mode", test_running_mode);
	ADD("pending", test_pending);
	g_test_add_func("/applet/tray/icons", test_icons);
	return g_test_run();
}
