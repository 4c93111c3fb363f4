<?php
/**
 * Which order meta to write for a referral (pure PHP).
 *
 * @package ShopAffiliate
 */

defined( 'ABSPATH' ) || defined( 'SHOPAFFILIATE_TESTS' ) || exit;

/**
 * Order meta keys `_sa_ref`, `_sa_click`, `_sa_landed_at` and the rule that fills them.
 */
final class ShopAffiliate_Order_Meta {

	const REF       = '_sa_ref';
	const CLICK     = '_sa_click';
	const LANDED_AT = '_sa_landed_at';

	/**
	 * All meta keys the plugin owns.
	 *
	 * @return string[]
	 */
	public static function keys(): array {
		return array( self::REF, self::CLICK, self::LANDED_AT );
	}

	/**
	 * Meta to write for a referral: empty when there is none or it is older than the cookie window.
	 * `_sa_click` and `_sa_landed_at` are only present when known.
	 *
	 * @param ShopAffiliate_Referral_Cookie|null $referral    Referral.
	 * @param int                                $now         Current unix time.
	 * @param int                                $cookie_days Cookie window in days.
	 * @return array<string, string>
	 */
	public static function from_referral( ?ShopAffiliate_Referral_Cookie $referral, int $now, int $cookie_days ): array {
		if ( null === $referral ) {
			return array();
		}
		if ( null !== $referral->landed_at && $referral->landed_at + ShopAffiliate_Options::cookie_days( $cookie_days ) * 86400 < $now ) {
			return array();
		}
		$meta = array( self::REF => $referral->code );
		if ( null !== $referral->click_id ) {
			$meta[ self::CLICK ] = $referral->click_id;
		}
		$landed = $referral->landed_at_iso();
		if ( null !== $landed ) {
			$meta[ self::LANDED_AT ] = $landed;
		}
		return $meta;
	}

	/**
	 * Meta to write for a raw `_sa_ref` cookie value (see ShopAffiliate_Referral_Cookie).
	 *
	 * @param mixed $raw         Cookie value.
	 * @param int   $now         Current unix time.
	 * @param int   $cookie_days Cookie window in days.
	 * @return array<string, string>
	 */
	public static function from_cookie( $raw, int $now, int $cookie_days ): array {
		return self::from_referral( ShopAffiliate_Referral_Cookie::decode( $raw, $now ), $now, $cookie_days );
	}

	/**
	 * Keys to delete when $meta is written, so a reused draft order keeps no stale click/time.
	 * Nothing is deleted when nothing is written.
	 *
	 * @param array<string, string> $meta Meta being written.
	 * @return string[]
	 */
	public static function keys_to_delete( array $meta ): array {
		if ( array() === $meta ) {
			return array();
		}
		return array_values( array_diff( self::keys(), array_keys( $meta ) ) );
	}
}
