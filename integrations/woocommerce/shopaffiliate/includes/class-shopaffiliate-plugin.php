<?php
/**
 * Hook wiring and option access (WordPress glue).
 *
 * @package ShopAffiliate
 */

defined( 'ABSPATH' ) || exit;

/**
 * Registers every hook of the plugin.
 */
final class ShopAffiliate_Plugin {

	/**
	 * Register hooks (called once from shopaffiliate.php).
	 */
	public static function boot(): void {
		add_action( 'init', array( 'ShopAffiliate_Account', 'add_endpoint' ) );
		add_action( 'init', array( 'ShopAffiliate_Referral_Tracker', 'capture' ), 1 );
		add_filter( 'wp_consent_api_registered_' . plugin_basename( SHOPAFFILIATE_FILE ), '__return_true' );
		add_action( 'init', array( 'ShopAffiliate_Referral_Tracker', 'describe_cookie' ), 20 );

		add_action( 'woocommerce_checkout_create_order', array( 'ShopAffiliate_Referral_Tracker', 'on_classic_checkout' ), 10, 2 );
		add_action( 'woocommerce_store_api_checkout_update_order_from_request', array( 'ShopAffiliate_Referral_Tracker', 'on_block_checkout' ), 10, 2 );

		add_filter( 'woocommerce_get_query_vars', array( 'ShopAffiliate_Account', 'query_vars' ) );
		add_filter( 'woocommerce_account_menu_items', array( 'ShopAffiliate_Account', 'menu_items' ) );
		add_filter( 'woocommerce_endpoint_' . ShopAffiliate_Account::ENDPOINT . '_title', array( 'ShopAffiliate_Account', 'title' ) );
		add_action( 'woocommerce_account_' . ShopAffiliate_Account::ENDPOINT . '_endpoint', array( 'ShopAffiliate_Account', 'render' ) );

		add_action( 'admin_menu', array( 'ShopAffiliate_Settings_Page', 'add_menu' ), 60 );
		add_action( 'admin_init', array( 'ShopAffiliate_Settings_Page', 'register_settings' ) );
		add_filter( 'option_page_capability_' . ShopAffiliate_Settings_Page::GROUP, array( 'ShopAffiliate_Settings_Page', 'capability' ) );
		add_action( 'admin_post_' . ShopAffiliate_Settings_Page::DISCONNECT_ACTION, array( 'ShopAffiliate_Settings_Page', 'handle_disconnect' ) );
		add_filter( 'plugin_action_links_' . plugin_basename( SHOPAFFILIATE_FILE ), array( 'ShopAffiliate_Settings_Page', 'action_links' ) );

		add_action( 'admin_menu', array( 'ShopAffiliate_Admin_Launch', 'add_menu' ) );
		add_action( 'admin_post_' . ShopAffiliate_Admin_Launch::ACTION, array( 'ShopAffiliate_Admin_Launch', 'handle_launch' ) );

		add_action( 'rest_api_init', array( 'ShopAffiliate_Rest_Config', 'register_routes' ) );
		add_filter( 'woocommerce_rest_is_request_to_rest_api', array( 'ShopAffiliate_Rest_Config', 'is_request_to_rest_api' ) );
	}

	/**
	 * Activation: register the My Account endpoint, then flush rewrite rules.
	 */
	public static function activate(): void {
		ShopAffiliate_Account::add_endpoint();
		flush_rewrite_rules();
	}

	/**
	 * Deactivation: drop our rewrite rules.
	 */
	public static function deactivate(): void {
		flush_rewrite_rules();
	}

	/**
	 * An option value with the plugin default.
	 *
	 * @param string $name Option name (ShopAffiliate_Options constant).
	 * @return mixed
	 */
	public static function option( string $name ) {
		$defaults = ShopAffiliate_Options::defaults();
		return get_option( $name, $defaults[ $name ] ?? false );
	}

	/**
	 * The configured server URL (normalised, default when invalid).
	 */
	public static function server_url(): string {
		$url = ShopAffiliate_Config_Payload::normalize_server_url( self::option( ShopAffiliate_Options::SERVER_URL ) );
		return null === $url ? ShopAffiliate_Options::DEFAULT_SERVER_URL : $url;
	}

	/**
	 * The cookie window in days.
	 */
	public static function cookie_days(): int {
		return ShopAffiliate_Options::cookie_days( self::option( ShopAffiliate_Options::COOKIE_DAYS ) );
	}

	/**
	 * Store options; the launch secret is never autoloaded.
	 *
	 * @param array<string, mixed> $options Option name => value.
	 */
	public static function save_options( array $options ): void {
		foreach ( $options as $name => $value ) {
			if ( ShopAffiliate_Options::LAUNCH_SECRET === $name ) {
				if ( false === get_option( $name ) ) {
					add_option( $name, $value, '', false );
				} else {
					update_option( $name, $value, false );
				}
				continue;
			}
			update_option( $name, $value );
		}
	}
}
