<?php
/**
 * The `_sa_ref` first-party cookie: encoding and strict parsing (pure PHP).
 *
 * @package ShopAffiliate
 */

defined( 'ABSPATH' ) || defined( 'SHOPAFFILIATE_TESTS' ) || exit;

/**
 * A referral as stored in the `_sa_ref` cookie.
 *
 * Wire format (also written/read by the storefront script sa.js, so it is not HttpOnly):
 *
 *     {code}|{clickId}|{landedAt}
 *
 * - code:     the referral code, ^[A-Za-z0-9][A-Za-z0-9_-]{1,63}$
 * - clickId:  lowercase UUID (8-4-4-4-12 hex) or empty when the visit carried no sa_click
 * - landedAt: unix seconds (UTC) when the cookie was created, or empty when unknown
 *
 * Examples: `jane|3f2b8c1e-9d4a-4e5b-8c7d-0a1b2c3d4e5f|1710430082`, `jane||1710430082`.
 * For tolerance the parser also accepts `code` and `code|clickId` (fewer fields) and a
 * percent-encoded separator (`%7C`). Anything else (extra fields, bad code, bad UUID,
 * non-numeric or future timestamp, over-long value) is rejected as a whole: the cookie
 * is readable and writable by scripts, so it is parsed as untrusted input.
 */
final class ShopAffiliate_Referral_Cookie {

	const NAME         = '_sa_ref';
	const SEPARATOR    = '|';
	const MAX_LENGTH   = 128;
	const CODE_PATTERN = '/^[A-Za-z0-9][A-Za-z0-9_-]{1,63}$/D';
	const UUID_PATTERN = '/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/Di';

	/**
	 * Allowed clock skew (seconds) for a landed-at time in the future.
	 */
	const MAX_FUTURE_SKEW = 300;

	/**
	 * Referral code.
	 *
	 * @var string
	 */
	public readonly string $code;

	/**
	 * Click id (lowercase UUID) or null.
	 *
	 * @var string|null
	 */
	public readonly ?string $click_id;

	/**
	 * Unix seconds of cookie creation, or null when unknown.
	 *
	 * @var int|null
	 */
	public readonly ?int $landed_at;

	/**
	 * Constructor; use create() or decode().
	 *
	 * @param string      $code      Valid code.
	 * @param string|null $click_id  Valid normalised click id.
	 * @param int|null    $landed_at Unix seconds.
	 */
	private function __construct( string $code, ?string $click_id, ?int $landed_at ) {
		$this->code      = $code;
		$this->click_id  = $click_id;
		$this->landed_at = $landed_at;
	}

	/**
	 * Build a referral from validated parts.
	 *
	 * @param string      $code      Referral code.
	 * @param string|null $click_id  Click id (UUID) or null.
	 * @param int|null    $landed_at Unix seconds or null.
	 * @throws InvalidArgumentException When a part is invalid.
	 */
	public static function create( string $code, ?string $click_id, ?int $landed_at ): self {
		if ( ! self::is_valid_code( $code ) ) {
			throw new InvalidArgumentException( 'Invalid referral code.' );
		}
		$normalised_click = null;
		if ( null !== $click_id ) {
			$normalised_click = self::normalize_click_id( $click_id );
			if ( null === $normalised_click ) {
				throw new InvalidArgumentException( 'Invalid click id.' );
			}
		}
		if ( null !== $landed_at && $landed_at < 0 ) {
			throw new InvalidArgumentException( 'Invalid landed-at time.' );
		}
		return new self( $code, $normalised_click, $landed_at );
	}

	/**
	 * Whether a value is a valid referral code.
	 *
	 * @param mixed $code Raw value.
	 */
	public static function is_valid_code( $code ): bool {
		return is_string( $code ) && 1 === preg_match( self::CODE_PATTERN, $code );
	}

	/**
	 * A valid UUID in lowercase, or null.
	 *
	 * @param mixed $click_id Raw value.
	 */
	public static function normalize_click_id( $click_id ): ?string {
		if ( ! is_string( $click_id ) || 1 !== preg_match( self::UUID_PATTERN, $click_id ) ) {
			return null;
		}
		return strtolower( $click_id );
	}

	/**
	 * The cookie value (see the class comment for the format).
	 */
	public function encode(): string {
		return $this->code . self::SEPARATOR . ( $this->click_id ?? '' ) . self::SEPARATOR . ( null === $this->landed_at ? '' : (string) $this->landed_at );
	}

	/**
	 * Parse a cookie value; null when it is not exactly a well-formed referral.
	 *
	 * @param mixed    $raw Cookie value (already unslashed).
	 * @param int|null $now Current unix time; when given, landed-at times in the future (beyond skew) are rejected.
	 */
	public static function decode( $raw, ?int $now = null ): ?self {
		if ( ! is_string( $raw ) || '' === $raw || strlen( $raw ) > self::MAX_LENGTH * 3 ) {
			return null;
		}
		$raw = str_ireplace( '%7C', self::SEPARATOR, $raw );
		if ( strlen( $raw ) > self::MAX_LENGTH || 1 !== preg_match( '/^[A-Za-z0-9_|-]+$/D', $raw ) ) {
			return null;
		}
		$parts = explode( self::SEPARATOR, $raw );
		if ( count( $parts ) > 3 ) {
			return null;
		}
		$code  = $parts[0];
		$click = $parts[1] ?? '';
		$ts    = $parts[2] ?? '';
		if ( ! self::is_valid_code( $code ) ) {
			return null;
		}
		$click_id = null;
		if ( '' !== $click ) {
			$click_id = self::normalize_click_id( $click );
			if ( null === $click_id ) {
				return null;
			}
		}
		$landed_at = null;
		if ( '' !== $ts ) {
			if ( 1 !== preg_match( '/^[1-9][0-9]{8,9}$/D', $ts ) ) {
				return null;
			}
			$landed_at = (int) $ts;
			if ( null !== $now && $landed_at > $now + self::MAX_FUTURE_SKEW ) {
				return null;
			}
		}
		return new self( $code, $click_id, $landed_at );
	}

	/**
	 * Landed-at time as ISO 8601 UTC (`2024-03-14T15:28:02Z`), or null.
	 */
	public function landed_at_iso(): ?string {
		return null === $this->landed_at ? null : gmdate( 'Y-m-d\TH:i:s\Z', $this->landed_at );
	}
}
