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
	 * How the server's connect codes start (created in the ShopAffiliate admin; 15 minutes, single use).
	 */
	const CONNECT_CODE_PREFIX = 'sac_';

	/**
	 * `{server}/woocommerce/connect?store_url={store}&code={code}` for a connect code, otherwise
	 * `…&workspace={workspace}` (a program slug or id, or a legacy API key). Values rawurlencoded. The server only shows
	 * a confirmation page for this URL; the connection starts when the merchant confirms there.
	 *
	 * @param string $server_url Server base URL.
	 * @param string $store_url  The store's home URL.
	 * @param string $credential Connect code, program slug or id, or API key.
	 */
	public static function connect_url( string $server_url, string $store_url, string $credential ): string {
		$param = self::is_connect_code( $credential ) ? 'code' : 'workspace';
		return self::base( $server_url ) . '/woocommerce/connect?store_url=' . rawurlencode( $store_url ) . '&' . $param . '=' . rawurlencode( $credential );
	}

	/**
	 * Whether the value is a connect code (rather than a slug or API key).
	 *
	 * @param string $credential The saved value.
	 */
	public static function is_connect_code( string $credential ): bool {
		return 0 === strncmp( $credential, self::CONNECT_CODE_PREFIX, strlen( self::CONNECT_CODE_PREFIX ) );
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
