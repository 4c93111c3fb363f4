<?php
/**
 * Validation of the configuration the server pushes to POST /shopaffiliate/v1/config (pure PHP).
 *
 * @package ShopAffiliate
 */

defined( 'ABSPATH' ) || defined( 'SHOPAFFILIATE_TESTS' ) || exit;

/**
 * Validates `{shop_id, launch_secret, server_url, workspace_slug, cookie_days, attribution_model, consent_category}`.
 *
 * Every field is optional (partial updates), at least one known field is required, unknown fields are
 * ignored, and one invalid field rejects the whole payload (nothing is stored).
 */
final class ShopAffiliate_Config_Payload {

	const SHOP_ID_PATTERN       = '/^[A-Za-z0-9_-]{1,64}$/D';
	const SECRET_PATTERN        = '/^[\x21-\x7E]{32,256}$/D';
	const WORKSPACE_SLUG_PATTERN = '/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/D';

	/**
	 * Payload field => option name.
	 */
	const FIELDS = array(
		'shop_id'           => ShopAffiliate_Options::SHOP_ID,
		'launch_secret'     => ShopAffiliate_Options::LAUNCH_SECRET,
		'server_url'        => ShopAffiliate_Options::SERVER_URL,
		'workspace_slug'    => ShopAffiliate_Options::WORKSPACE_SLUG,
		'cookie_days'       => ShopAffiliate_Options::COOKIE_DAYS,
		'attribution_model' => ShopAffiliate_Options::ATTRIBUTION,
		'consent_category'  => ShopAffiliate_Options::CONSENT_CATEGORY,
	);

	/**
	 * Validate a decoded JSON payload.
	 *
	 * @param mixed $data Decoded JSON (associative array expected).
	 * @return array{options: array<string, string|int>, errors: array<string, string>}
	 *         options: option name => normalised value (empty when errors is not empty).
	 */
	public static function validate( $data ): array {
		if ( ! is_array( $data ) || ( array() !== $data && array_is_list( $data ) ) ) {
			return array(
				'options' => array(),
				'errors'  => array( '' => 'The body must be a JSON object.' ),
			);
		}
		$options = array();
		$errors  = array();
		foreach ( self::FIELDS as $field => $option ) {
			if ( ! array_key_exists( $field, $data ) ) {
				continue;
			}
			$value = $data[ $field ];
			switch ( $field ) {
				case 'shop_id':
					$normalised = self::normalize_shop_id( $value );
					$message    = 'shop_id must be a positive integer or 1-64 characters of A-Z, a-z, 0-9, _ and -.';
					break;
				case 'launch_secret':
					$normalised = is_string( $value ) && 1 === preg_match( self::SECRET_PATTERN, $value ) ? $value : null;
					$message    = 'launch_secret must be 32-256 printable ASCII characters without spaces.';
					break;
				case 'server_url':
					$normalised = self::normalize_server_url( $value );
					$message    = 'server_url must be an absolute http(s) URL without credentials, query or fragment.';
					break;
				case 'workspace_slug':
					$normalised = null === $value || '' === $value ? '' : self::normalize_workspace_slug( $value );
					$message    = 'workspace_slug must be 1-64 characters of A-Z, a-z, 0-9, _ and - (or null/empty to clear).';
					break;
				case 'cookie_days':
					$normalised = self::normalize_cookie_days( $value );
					$message    = 'cookie_days must be an integer from 1 to 365.';
					break;
				case 'attribution_model':
					$normalised = self::normalize_attribution( $value );
					$message    = 'attribution_model must be last_click or first_click (LastClick/FirstClick accepted).';
					break;
				default:
					$normalised = is_string( $value ) && in_array( $value, ShopAffiliate_Options::CONSENT_CATEGORIES, true ) ? $value : null;
					$message    = 'consent_category must be one of ' . implode( ', ', ShopAffiliate_Options::CONSENT_CATEGORIES ) . '.';
					break;
			}
			if ( null === $normalised ) {
				$errors[ $field ] = $message;
			} else {
				$options[ $option ] = $normalised;
			}
		}
		if ( array() === $errors && array() === $options ) {
			$errors[''] = 'No known field given; expected any of ' . implode( ', ', array_keys( self::FIELDS ) ) . '.';
		}
		return array(
			'options' => array() === $errors ? $options : array(),
			'errors'  => $errors,
		);
	}

	/**
	 * A shop id as string, or null.
	 *
	 * @param mixed $value Raw value.
	 */
	public static function normalize_shop_id( $value ): ?string {
		if ( is_int( $value ) ) {
			return $value > 0 ? (string) $value : null;
		}
		return is_string( $value ) && 1 === preg_match( self::SHOP_ID_PATTERN, $value ) ? $value : null;
	}

	/**
	 * A workspace slug, or null.
	 *
	 * @param mixed $value Raw value.
	 */
	public static function normalize_workspace_slug( $value ): ?string {
		return is_string( $value ) && 1 === preg_match( self::WORKSPACE_SLUG_PATTERN, $value ) ? $value : null;
	}

	/**
	 * Cookie days 1..365 (int or digit string), or null.
	 *
	 * @param mixed $value Raw value.
	 */
	public static function normalize_cookie_days( $value ): ?int {
		if ( is_string( $value ) && 1 === preg_match( '/^[0-9]{1,3}$/D', $value ) ) {
			$value = (int) $value;
		}
		if ( ! is_int( $value ) || $value < ShopAffiliate_Options::MIN_COOKIE_DAYS || $value > ShopAffiliate_Options::MAX_COOKIE_DAYS ) {
			return null;
		}
		return $value;
	}

	/**
	 * `last_click`/`first_click` from those or the server's `LastClick`/`FirstClick`, or null.
	 *
	 * @param mixed $value Raw value.
	 */
	public static function normalize_attribution( $value ): ?string {
		if ( ! is_string( $value ) ) {
			return null;
		}
		switch ( $value ) {
			case 'last_click':
			case 'LastClick':
				return ShopAffiliate_Options::ATTRIBUTION_LAST_CLICK;
			case 'first_click':
			case 'FirstClick':
				return ShopAffiliate_Options::ATTRIBUTION_FIRST_CLICK;
			default:
				return null;
		}
	}

	/**
	 * An absolute http(s) URL without credentials, query or fragment, trailing slash removed; or null.
	 *
	 * @param mixed $value Raw value.
	 */
	public static function normalize_server_url( $value ): ?string {
		if ( ! is_string( $value ) || '' === $value || strlen( $value ) > 2048 || 1 === preg_match( '/[\x00-\x20\x7F<>"\'\\\\]/', $value ) ) {
			return null;
		}
		$parts = parse_url( $value ); // phpcs:ignore WordPress.WP.AlternativeFunctions.parse_url_parse_url -- pure class, no WordPress.
		if ( ! is_array( $parts ) || ! isset( $parts['scheme'], $parts['host'] ) ) {
			return null;
		}
		$scheme = strtolower( $parts['scheme'] );
		if ( ! in_array( $scheme, array( 'http', 'https' ), true ) ) {
			return null;
		}
		if ( isset( $parts['user'] ) || isset( $parts['pass'] ) || isset( $parts['query'] ) || isset( $parts['fragment'] ) ) {
			return null;
		}
		if ( str_contains( $value, '?' ) || str_contains( $value, '#' ) ) {
			return null;
		}
		$host = $parts['host'];
		if ( 1 !== preg_match( '/^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])$/D', $host ) ) {
			return null;
		}
		$path = $parts['path'] ?? '';
		if ( '' !== $path && 1 !== preg_match( '#^(?:/[A-Za-z0-9._~%!$&()*+,;=:@-]*)*$#D', $path ) ) {
			return null;
		}
		$url = $scheme . '://' . strtolower( $host ) . ( isset( $parts['port'] ) ? ':' . $parts['port'] : '' ) . $path;
		return rtrim( $url, '/' );
	}
}
