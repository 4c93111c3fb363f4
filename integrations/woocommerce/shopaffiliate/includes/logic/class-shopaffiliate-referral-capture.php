<?php
/**
 * Server-side `?ref=` capture decision (pure PHP).
 *
 * @package ShopAffiliate
 */

defined( 'ABSPATH' ) || defined( 'SHOPAFFILIATE_TESTS' ) || exit;

/**
 * Decides whether and what referral cookie to set for a request.
 */
final class ShopAffiliate_Referral_Capture {

	const QUERY_REF   = 'ref';
	const QUERY_CLICK = 'sa_click';

	/**
	 * Decide what to do with the request's referral.
	 *
	 * Rules: `ref` must match the code pattern (else NONE). `sa_click` is optional; when it is not a
	 * UUID it is dropped and the code is still captured. Without consent: NO_CONSENT. Model
	 * first_click keeps an existing valid cookie (KEEP_EXISTING); last_click (default, and any
	 * unknown model) overwrites. SET expires `now + cookie_days * 86400`.
	 *
	 * @param array       $query           The request's query parameters (unslashed), e.g. $_GET.
	 * @param string|null $existing_cookie The current `_sa_ref` cookie value, if any.
	 * @param string      $model           last_click | first_click.
	 * @param bool        $has_consent     Whether marketing consent (or no consent API) allows the cookie.
	 * @param int         $now             Current unix time.
	 * @param int         $cookie_days     Cookie window in days (clamped to 1..365).
	 */
	public static function decide( array $query, ?string $existing_cookie, string $model, bool $has_consent, int $now, int $cookie_days ): ShopAffiliate_Capture_Decision {
		$code = $query[ self::QUERY_REF ] ?? null;
		if ( ! ShopAffiliate_Referral_Cookie::is_valid_code( $code ) ) {
			return new ShopAffiliate_Capture_Decision( ShopAffiliate_Capture_Decision::NONE );
		}
		$click_id = ShopAffiliate_Referral_Cookie::normalize_click_id( $query[ self::QUERY_CLICK ] ?? null );
		$referral = ShopAffiliate_Referral_Cookie::create( $code, $click_id, $now );

		if ( ! $has_consent ) {
			return new ShopAffiliate_Capture_Decision( ShopAffiliate_Capture_Decision::NO_CONSENT, $referral );
		}

		if ( ShopAffiliate_Options::ATTRIBUTION_FIRST_CLICK === ShopAffiliate_Options::attribution( $model ) ) {
			$existing = ShopAffiliate_Referral_Cookie::decode( $existing_cookie, $now );
			if ( null !== $existing ) {
				return new ShopAffiliate_Capture_Decision( ShopAffiliate_Capture_Decision::KEEP_EXISTING, $existing );
			}
		}

		$days = ShopAffiliate_Options::cookie_days( $cookie_days );
		return new ShopAffiliate_Capture_Decision( ShopAffiliate_Capture_Decision::SET, $referral, $now + $days * 86400 );
	}
}
