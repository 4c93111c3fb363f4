<?php
/**
 * REST route through which the server configures the plugin (WordPress glue).
 *
 * @package ShopAffiliate
 */

defined( 'ABSPATH' ) || exit;

/**
 * `POST /wp-json/shopaffiliate/v1/config` (and `GET` for a non-secret status), authenticated with the
 * WooCommerce REST API key the server obtained during Connect.
 */
final class ShopAffiliate_Rest_Config {

	/**
	 * Register the routes.
	 */
	public static function register_routes(): void {
		register_rest_route(
			ShopAffiliate_Rest_Route::NAMESPACE_V1,
			'/config',
			array(
				array(
					'methods'             => WP_REST_Server::CREATABLE,
					'callback'            => array( self::class, 'update' ),
					'permission_callback' => array( self::class, 'permission' ),
				),
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => array( self::class, 'status' ),
					'permission_callback' => array( self::class, 'permission' ),
				),
			)
		);
	}

	/**
	 * Only shop managers (the owner of the consumer key) may configure the plugin.
	 */
	public static function permission(): bool {
		return current_user_can( 'manage_woocommerce' );
	}

	/**
	 * Let WooCommerce's consumer-key authentication handle our namespace too.
	 *
	 * @param bool $is_api Whether WooCommerce already treats the request as its REST API.
	 */
	public static function is_request_to_rest_api( $is_api ): bool {
		if ( $is_api ) {
			return true;
		}
		if ( empty( $_SERVER['REQUEST_URI'] ) || ! is_string( $_SERVER['REQUEST_URI'] ) ) {
			return false;
		}
		$uri = wp_unslash( $_SERVER['REQUEST_URI'] ); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- only compared, never output or stored.
		return ShopAffiliate_Rest_Route::is_plugin_request( $uri, rest_get_url_prefix() );
	}

	/**
	 * Validate and store the configuration.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public static function update( $request ) {
		$data   = $request->get_json_params();
		$result = ShopAffiliate_Config_Payload::validate( $data );
		if ( array() !== $result['errors'] ) {
			return new WP_Error(
				'shopaffiliate_invalid_config',
				__( 'The configuration was rejected; nothing was stored.', 'shopaffiliate' ),
				array(
					'status' => 400,
					'errors' => $result['errors'],
				)
			);
		}
		ShopAffiliate_Plugin::save_options( $result['options'] );

		$updated = array_keys( array_intersect( ShopAffiliate_Config_Payload::FIELDS, array_keys( $result['options'] ) ) );
		$body    = self::status_body();
		$body['updated'] = $updated;
		return new WP_REST_Response( $body, 200 );
	}

	/**
	 * Current (non-secret) configuration.
	 */
	public static function status(): WP_REST_Response {
		return new WP_REST_Response( self::status_body(), 200 );
	}

	/**
	 * Status body; never contains the launch secret.
	 *
	 * @return array<string, mixed>
	 */
	private static function status_body(): array {
		return array(
			'plugin_version'    => SHOPAFFILIATE_VERSION,
			'store_url'         => home_url(),
			'shop_id'           => (string) ShopAffiliate_Plugin::option( ShopAffiliate_Options::SHOP_ID ),
			'has_launch_secret' => '' !== (string) ShopAffiliate_Plugin::option( ShopAffiliate_Options::LAUNCH_SECRET ),
			'server_url'        => ShopAffiliate_Plugin::server_url(),
			'workspace_slug'    => (string) ShopAffiliate_Plugin::option( ShopAffiliate_Options::WORKSPACE_SLUG ),
			'cookie_days'       => ShopAffiliate_Plugin::cookie_days(),
			'attribution_model' => ShopAffiliate_Options::attribution( ShopAffiliate_Plugin::option( ShopAffiliate_Options::ATTRIBUTION ) ),
			'consent_category'  => ShopAffiliate_Options::consent_category( ShopAffiliate_Plugin::option( ShopAffiliate_Options::CONSENT_CATEGORY ) ),
		);
	}
}
