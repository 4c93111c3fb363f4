<?php
/**
 * Result of ShopAffiliate_Referral_Capture::decide() (pure PHP).
 *
 * @package ShopAffiliate
 */

defined( 'ABSPATH' ) || defined( 'SHOPAFFILIATE_TESTS' ) || exit;

/**
 * What the request glue should do with the referral cookie.
 */
final class ShopAffiliate_Capture_Decision {

	/** No (valid) referral in the request: do nothing. */
	const NONE = 'none';
	/** Set the cookie to $cookie_value until $expires. */
	const SET = 'set';
	/** First-click model and a valid cookie exists: keep it. */
	const KEEP_EXISTING = 'keep_existing';
	/** Valid referral but no consent: set no cookie; $referral may be used for this request only. */
	const NO_CONSENT = 'no_consent';

	/**
	 * One of the constants above.
	 *
	 * @var string
	 */
	public readonly string $action;

	/**
	 * The referral from the request (SET, NO_CONSENT) or the kept cookie (KEEP_EXISTING).
	 *
	 * @var ShopAffiliate_Referral_Cookie|null
	 */
	public readonly ?ShopAffiliate_Referral_Cookie $referral;

	/**
	 * Unix time the cookie expires (SET only, else 0).
	 *
	 * @var int
	 */
	public readonly int $expires;

	/**
	 * Constructor.
	 *
	 * @param string                             $action   Action.
	 * @param ShopAffiliate_Referral_Cookie|null $referral Referral.
	 * @param int                                $expires  Expiry.
	 */
	public function __construct( string $action, ?ShopAffiliate_Referral_Cookie $referral = null, int $expires = 0 ) {
		$this->action   = $action;
		$this->referral = $referral;
		$this->expires  = $expires;
	}

	/**
	 * The cookie value to set (SET only).
	 */
	public function cookie_value(): ?string {
		return self::SET === $this->action && null !== $this->referral ? $this->referral->encode() : null;
	}
}
