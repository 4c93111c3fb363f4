<?php
/**
 * URLs into the ShopAffiliate server (pure PHP).
 *
 * @package ShopAffiliate
 */

defined( 'ABSPATH' ) || defined( 'SHOPAFFILIATE_TESTS' ) || exit;

/**
 * Connect, portal and program-page URLs.
 */
final class ShopAffiliate_Links {

	/**
	 * `{server}/woocommerce/connect?store_url={store}&workspace={workspace}` (values rawurlencoded).
	 *
	 * @param string $server_url Server base URL.
	 * @param string $store_url  The store's home URL.
	 * @param string $workspace  Workspace id or API key.
	 */
	public static function connect_url( string $server_url, string $store_url, string $workspace ): string {
		return self::base( $server_url ) . '/woocommerce/connect?store_url=' . rawurlencode( $store_url ) . '&workspace=' . rawurlencode( $workspace );
	}

	/**
	 * `{server}/portal`.
	 *
	 * @param string $server_url Server base URL.
	 */
	public static function portal_url( string $server_url ): string {
		return self::base( $server_url ) . '/portal';
	}

	/**
	 * `{server}/p/{slug}`, or null when the slug is empty or invalid.
	 *
	 * @param string $server_url     Server base URL.
	 * @param string $workspace_slug Workspace slug.
	 */
	public static function program_url( string $server_url, string $workspace_slug ): ?string {
		$slug = ShopAffiliate_Config_Payload::normalize_workspace_slug( $workspace_slug );
		return null === $slug ? null : self::base( $server_url ) . '/p/' . rawurlencode( $slug );
	}

	/**
	 * Server URL without trailing slashes.
	 *
	 * @param string $server_url Server base URL.
	 */
	private static function base( string $server_url ): string {
		return rtrim( $server_url, '/' );
	}
}
