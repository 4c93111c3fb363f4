<?php
/**
 * Tests for ShopAffiliate_Referral_Capture.
 *
 * @package ShopAffiliate
 */

use PHPUnit\Framework\TestCase;

final class ReferralCaptureTest extends TestCase {

	const CLICK = '3f2b8c1e-9d4a-4e5b-8c7d-0a1b2c3d4e5f';
	const NOW   = 1710430082;

	private function decide( array $query, ?string $existing = null, string $model = 'last_click', bool $consent = true, int $days = 30 ): ShopAffiliate_Capture_Decision {
		return ShopAffiliate_Referral_Capture::decide( $query, $existing, $model, $consent, self::NOW, $days );
	}

	public function test_sets_cookie_with_code_click_and_now(): void {
		$d = $this->decide( array( 'ref' => 'jane', 'sa_click' => self::CLICK ) );
		$this->assertSame( ShopAffiliate_Capture_Decision::SET, $d->action );
		$this->assertSame( 'jane|' . self::CLICK . '|' . self::NOW, $d->cookie_value() );
		$this->assertSame( self::NOW + 30 * 86400, $d->expires );
	}

	public function test_cookie_window_follows_option_and_is_clamped(): void {
		$this->assertSame( self::NOW + 7 * 86400, $this->decide( array( 'ref' => 'jane' ), null, 'last_click', true, 7 )->expires );
		$this->assertSame( self::NOW + 30 * 86400, $this->decide( array( 'ref' => 'jane' ), null, 'last_click', true, 0 )->expires );
		$this->assertSame( self::NOW + 30 * 86400, $this->decide( array( 'ref' => 'jane' ), null, 'last_click', true, 10000 )->expires );
	}

	public function test_invalid_click_id_is_dropped_but_code_kept(): void {
		$d = $this->decide( array( 'ref' => 'jane', 'sa_click' => 'x<y' ) );
		$this->assertSame( ShopAffiliate_Capture_Decision::SET, $d->action );
		$this->assertSame( 'jane||' . self::NOW, $d->cookie_value() );
	}

	/**
	 * @dataProvider invalid_refs
	 */
	public function test_invalid_ref_does_nothing( array $query ): void {
		$d = $this->decide( $query, 'old||1710000000' );
		$this->assertSame( ShopAffiliate_Capture_Decision::NONE, $d->action );
		$this->assertNull( $d->cookie_value() );
	}

	public static function invalid_refs(): array {
		return array(
			'missing'        => array( array() ),
			'empty'          => array( array( 'ref' => '' ) ),
			'array'          => array( array( 'ref' => array( 'jane' ) ) ),
			'pipe injection' => array( array( 'ref' => 'jane|' . self::CLICK ) ),
			'too long'       => array( array( 'ref' => str_repeat( 'a', 65 ) ) ),
			'script'         => array( array( 'ref' => '"><script>' ) ),
		);
	}

	public function test_last_click_overwrites_existing_cookie(): void {
		$d = $this->decide( array( 'ref' => 'bob' ), 'jane||1710000000', 'last_click' );
		$this->assertSame( ShopAffiliate_Capture_Decision::SET, $d->action );
		$this->assertSame( 'bob', $d->referral->code );
	}

	public function test_first_click_keeps_valid_existing_cookie(): void {
		$d = $this->decide( array( 'ref' => 'bob' ), 'jane||1710000000', 'first_click' );
		$this->assertSame( ShopAffiliate_Capture_Decision::KEEP_EXISTING, $d->action );
		$this->assertSame( 'jane', $d->referral->code );
		$this->assertNull( $d->cookie_value() );
	}

	public function test_first_click_accepts_server_spelling(): void {
		$this->assertSame( ShopAffiliate_Capture_Decision::KEEP_EXISTING, $this->decide( array( 'ref' => 'bob' ), 'jane||1710000000', 'FirstClick' )->action );
	}

	public function test_first_click_replaces_tampered_existing_cookie(): void {
		$d = $this->decide( array( 'ref' => 'bob' ), 'jane|garbage|1710000000', 'first_click' );
		$this->assertSame( ShopAffiliate_Capture_Decision::SET, $d->action );
		$this->assertSame( 'bob', $d->referral->code );
	}

	public function test_first_click_without_existing_cookie_sets(): void {
		$this->assertSame( ShopAffiliate_Capture_Decision::SET, $this->decide( array( 'ref' => 'bob' ), null, 'first_click' )->action );
	}

	public function test_unknown_model_behaves_as_last_click(): void {
		$this->assertSame( ShopAffiliate_Capture_Decision::SET, $this->decide( array( 'ref' => 'bob' ), 'jane||1710000000', 'linear' )->action );
	}

	public function test_no_consent_sets_no_cookie_but_keeps_request_referral(): void {
		$d = $this->decide( array( 'ref' => 'jane', 'sa_click' => self::CLICK ), null, 'last_click', false );
		$this->assertSame( ShopAffiliate_Capture_Decision::NO_CONSENT, $d->action );
		$this->assertNull( $d->cookie_value() );
		$this->assertSame( 'jane', $d->referral->code );
		$this->assertSame( self::CLICK, $d->referral->click_id );
	}
}
