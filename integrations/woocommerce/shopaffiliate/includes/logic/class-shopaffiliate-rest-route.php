<?php
/**
 * Recognises requests to the plugin's REST namespace (pure PHP).
 *
 * @package ShopAffiliate
 */

defined( 'ABSPATH' ) || defined( 'SHOPAFFILIATE_TESTS' ) || exit;

/**
 * Used by the `woocommerce_rest_is_request_to_rest_api` filter so that WooCommerce's consumer-key
 * authentication (Basic auth over HTTPS, OAuth 1.0a over HTTP) also covers /shopaffiliate/v1/.
 */
final class ShopAffiliate_Rest_Route {

	const NAMESPACE_V1 = 'shopaffiliate/v1';

	/**
	 * Whether a request URI targets /{rest_prefix}/shopaffiliate/v1/... (pretty permalinks) or
	 * `?rest_route=/shopaffiliate/v1/...` (plain permalinks). Only the path, or the rest_route
	 * query parameter, is looked at; a namespace mentioned elsewhere in the query does not count.
	 *
	 * @param string $request_uri REQUEST_URI (path and query).
	 * @param string $rest_prefix rest_get_url_prefix(), usually `wp-json`.
	 */
	public static function is_plugin_request( string $request_uri, string $rest_prefix ): bool {
		$path  = (string) parse_url( $request_uri, PHP_URL_PATH ); // phpcs:ignore WordPress.WP.AlternativeFunctions.parse_url_parse_url
		$query = (string) parse_url( $request_uri, PHP_URL_QUERY ); // phpcs:ignore WordPress.WP.AlternativeFunctions.parse_url_parse_url

		$prefix = trim( $rest_prefix, '/' );
		if ( '' !== $prefix ) {
			$needle = '/' . $prefix . '/' . self::NAMESPACE_V1;
			$pos    = strpos( rawurldecode( $path ), $needle );
			if ( false !== $pos ) {
				$rest = substr( rawurldecode( $path ), $pos + strlen( $needle ) );
				if ( '' === $rest || '/' === $rest[0] ) {
					return true;
				}
			}
		}

		if ( '' !== $query ) {
			parse_str( $query, $args );
			if ( isset( $args['rest_route'] ) && is_string( $args['rest_route'] ) ) {
				$route = '/' . ltrim( $args['rest_route'], '/' );
				return '/' . self::NAMESPACE_V1 === $route || str_starts_with( $route, '/' . self::NAMESPACE_V1 . '/' );
			}
		}
		return false;
	}
}
