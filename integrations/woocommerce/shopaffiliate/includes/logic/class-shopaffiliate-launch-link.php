<?php
/**
 * Signed, short-lived launch link into the ShopAffiliate admin (pure PHP).
 *
 * @package ShopAffiliate
 */

defined( 'ABSPATH' ) || defined( 'SHOPAFFILIATE_TESTS' ) || exit;

/**
 * Builds `{server}/woocommerce/launch?email=..&nonce=..&shop=..&ts=..&user=..&sig=..`.
 *
 * canonical = every query parameter except `sig`, sorted by key (byte-wise/ordinal),
 *             each `rawurlencode(key) . '=' . rawurlencode(value)` (RFC 3986, uppercase %XX,
 *             space as %20, `~` unencoded: .NET Uri.EscapeDataString), joined by `&`.
 * sig       = lowercase hex HMAC-SHA256(key = launch secret bytes, message = canonical as UTF-8).
 * The URL's query is exactly canonical + `&sig=` + sig. The server rejects links older than 60 s
 * (and should remember nonces for that window).
 */
final class ShopAffiliate_Launch_Link {

	const PATH          = '/woocommerce/launch';
	const TTL           = 60;
	const NONCE_PATTERN = '/^[0-9a-f]{16}$/D';

	/**
	 * The canonical string that is signed.
	 *
	 * @param array<string, scalar> $params Query parameters (sig is ignored).
	 */
	public static function canonical( array $params ): string {
		unset( $params['sig'] );
		$pairs = array();
		foreach ( $params as $key => $value ) {
			$pairs[ (string) $key ] = (string) $value;
		}
		ksort( $pairs, SORT_STRING );
		$parts = array();
		foreach ( $pairs as $key => $value ) {
			$parts[] = rawurlencode( (string) $key ) . '=' . rawurlencode( $value );
		}
		return implode( '&', $parts );
	}

	/**
	 * Hex HMAC-SHA256 of the canonical string.
	 *
	 * @param array<string, scalar> $params Query parameters.
	 * @param string                $secret Launch secret.
	 */
	public static function sign( array $params, string $secret ): string {
		return hash_hmac( 'sha256', self::canonical( $params ), $secret );
	}

	/**
	 * 16 random lowercase hex characters.
	 */
	public static function random_nonce(): string {
		return bin2hex( random_bytes( 8 ) );
	}

	/**
	 * The launch parameters (without sig).
	 *
	 * @param string $shop_id Shop id given by the server.
	 * @param int    $user_id WordPress user id.
	 * @param string $email   User e-mail.
	 * @param int    $ts      Unix seconds.
	 * @param string $nonce   16 hex characters.
	 * @return array<string, string>
	 * @throws InvalidArgumentException On invalid input.
	 */
	public static function params( string $shop_id, int $user_id, string $email, int $ts, string $nonce ): array {
		if ( '' === $shop_id ) {
			throw new InvalidArgumentException( 'The shop is not connected (no shop id).' );
		}
		if ( $user_id <= 0 ) {
			throw new InvalidArgumentException( 'Invalid user id.' );
		}
		if ( $ts <= 0 ) {
			throw new InvalidArgumentException( 'Invalid timestamp.' );
		}
		if ( 1 !== preg_match( self::NONCE_PATTERN, $nonce ) ) {
			throw new InvalidArgumentException( 'The nonce must be 16 lowercase hex characters.' );
		}
		return array(
			'shop'  => $shop_id,
			'user'  => (string) $user_id,
			'email' => $email,
			'ts'    => (string) $ts,
			'nonce' => $nonce,
		);
	}

	/**
	 * The full signed URL.
	 *
	 * @param string $server_url Server base URL (no trailing slash needed).
	 * @param string $secret     Launch secret.
	 * @param string $shop_id    Shop id.
	 * @param int    $user_id    WordPress user id.
	 * @param string $email      User e-mail.
	 * @param int    $ts         Unix seconds.
	 * @param string $nonce      16 hex characters.
	 * @throws InvalidArgumentException On invalid input or a missing secret.
	 */
	public static function build( string $server_url, string $secret, string $shop_id, int $user_id, string $email, int $ts, string $nonce ): string {
		if ( '' === $secret ) {
			throw new InvalidArgumentException( 'The shop is not connected (no launch secret).' );
		}
		$params    = self::params( $shop_id, $user_id, $email, $ts, $nonce );
		$canonical = self::canonical( $params );
		return rtrim( $server_url, '/' ) . self::PATH . '?' . $canonical . '&sig=' . hash_hmac( 'sha256', $canonical, $secret );
	}

	/**
	 * Reference verifier (what the server does): signature, then age within TTL (30 s future skew).
	 *
	 * @param array<string, scalar> $params Query parameters including sig.
	 * @param string                $secret Launch secret.
	 * @param int                   $now    Current unix time.
	 */
	public static function verify( array $params, string $secret, int $now ): bool {
		if ( '' === $secret || ! isset( $params['sig'], $params['ts'] ) || ! is_string( $params['sig'] ) ) {
			return false;
		}
		if ( ! hash_equals( self::sign( $params, $secret ), strtolower( $params['sig'] ) ) ) {
			return false;
		}
		$ts = filter_var( $params['ts'], FILTER_VALIDATE_INT );
		return false !== $ts && $ts <= $now + 30 && $now - $ts <= self::TTL;
	}
}
