<?php
/**
 * Plugin Name:          ShopAffiliate for WooCommerce
 * Description:          Companion plugin for the ShopAffiliate affiliate-program app: server-side referral capture (works without JavaScript), referral data on orders, an Affiliate tab in My Account and the ShopAffiliate admin inside wp-admin.
 * Version:              0.1.0
 * Requires at least:    6.4
 * Requires PHP:         8.1
 * Requires Plugins:     woocommerce
 * Author:               ShopAffiliate
 * License:              GPL-2.0-or-later
 * License URI:          https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:          shopaffiliate
 * WC requires at least: 8.0
 *
 * @package ShopAffiliate
 */

defined( 'ABSPATH' ) || exit;

define( 'SHOPAFFILIATE_VERSION', '0.1.0' );
define( 'SHOPAFFILIATE_FILE', __FILE__ );
define( 'SHOPAFFILIATE_DIR', plugin_dir_path( __FILE__ ) );

// Pure-PHP logic (no WordPress calls; unit-tested in tests/).
require_once SHOPAFFILIATE_DIR . 'includes/logic/class-shopaffiliate-options.php';
require_once SHOPAFFILIATE_DIR . 'includes/logic/class-shopaffiliate-referral-cookie.php';
require_once SHOPAFFILIATE_DIR . 'includes/logic/class-shopaffiliate-capture-decision.php';
require_once SHOPAFFILIATE_DIR . 'includes/logic/class-shopaffiliate-referral-capture.php';
require_once SHOPAFFILIATE_DIR . 'includes/logic/class-shopaffiliate-order-meta.php';
require_once SHOPAFFILIATE_DIR . 'includes/logic/class-shopaffiliate-launch-link.php';
require_once SHOPAFFILIATE_DIR . 'includes/logic/class-shopaffiliate-config-payload.php';
require_once SHOPAFFILIATE_DIR . 'includes/logic/class-shopaffiliate-links.php';
require_once SHOPAFFILIATE_DIR . 'includes/logic/class-shopaffiliate-rest-route.php';

// WordPress glue.
require_once SHOPAFFILIATE_DIR . 'includes/class-shopaffiliate-plugin.php';
require_once SHOPAFFILIATE_DIR . 'includes/class-shopaffiliate-referral-tracker.php';
require_once SHOPAFFILIATE_DIR . 'includes/class-shopaffiliate-account.php';
require_once SHOPAFFILIATE_DIR . 'includes/class-shopaffiliate-settings-page.php';
require_once SHOPAFFILIATE_DIR . 'includes/class-shopaffiliate-admin-launch.php';
require_once SHOPAFFILIATE_DIR . 'includes/class-shopaffiliate-rest-config.php';

add_action(
	'before_woocommerce_init',
	static function () {
		if ( class_exists( \Automattic\WooCommerce\Utilities\FeaturesUtil::class ) ) {
			\Automattic\WooCommerce\Utilities\FeaturesUtil::declare_compatibility( 'custom_order_tables', __FILE__, true );
			\Automattic\WooCommerce\Utilities\FeaturesUtil::declare_compatibility( 'cart_checkout_blocks', __FILE__, true );
		}
	}
);

register_activation_hook( __FILE__, array( 'ShopAffiliate_Plugin', 'activate' ) );
register_deactivation_hook( __FILE__, array( 'ShopAffiliate_Plugin', 'deactivate' ) );

ShopAffiliate_Plugin::boot();
