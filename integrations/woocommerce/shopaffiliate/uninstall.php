<?php
/**
 * Uninstall: remove every option the plugin stored.
 *
 * @package ShopAffiliate
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

require_once __DIR__ . '/includes/logic/class-shopaffiliate-options.php';

/**
 * Delete the plugin's options on the current site.
 */
function shopaffiliate_delete_options(): void {
	foreach ( ShopAffiliate_Options::all() as $shopaffiliate_option ) {
		delete_option( $shopaffiliate_option );
	}
}

if ( is_multisite() ) {
	$shopaffiliate_site_ids = get_sites(
		array(
			'fields' => 'ids',
			'number' => 0,
		)
	);
	foreach ( $shopaffiliate_site_ids as $shopaffiliate_site_id ) {
		switch_to_blog( (int) $shopaffiliate_site_id );
		shopaffiliate_delete_options();
		restore_current_blog();
	}
} else {
	shopaffiliate_delete_options();
}
